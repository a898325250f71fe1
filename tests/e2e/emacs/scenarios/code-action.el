;;; code-action.el --- The `Use ==' quick fix, applied by eglot  -*- lexical-binding: t; -*-

;; M-x eglot-code-actions asks for the actions over the region with flymake's diagnostics there
;; as context, then applies the chosen one with `eglot--apply-workspace-edit'; the scenario makes
;; the same calls without the completing-read menu.

(mentor-run
 "code action"
 (lambda ()
   (mentor-open "app.py" mentor-sample)
   (let* ((diags (mentor-wait-for-diagnostics "PYM001" (lambda (ds) (mentor-find-code ds "PYM001"))))
          (finding (mentor-find-code diags "PYM001"))
          (actions (eglot-code-actions (flymake-diagnostic-beg finding) (flymake-diagnostic-end finding) "quickfix"))
          ;; The title comes from server/src/rules/is-literal.ts (`fix`: "Use {replacement}").
          (fix (cl-find "Use ==" actions :key (lambda (a) (plist-get a :title)) :test #'equal)))
     (mentor-log "quick fixes at PYM001: %s" (mapconcat (lambda (a) (plist-get a :title)) actions ", "))
     (mentor-expect fix "no `Use ==' among the quick fixes: %S" (mapcar (lambda (a) (plist-get a :title)) actions))
     (mentor-expect (eq (plist-get fix :isPreferred) t) "`Use ==' should be the preferred quick fix: %S" fix)
     (mentor-expect (plist-get fix :edit) "the `Use ==' action has no edit: %S" fix)

     (eglot--apply-workspace-edit (plist-get fix :edit))
     (let ((line (mentor-line-at (mentor-find "print("))))
       (mentor-expect (equal line "        print(\"한국어 😀 표\", x == 1, session, total)")
                      "after the fix the line reads: %s" line))

     ;; eglot sends didChange from an idle timer, and batch Emacs is never idle: send it the way
     ;; that timer would, then the server re-publishes without PYM001.
     (eglot--signal-textDocument/didChange)
     (let ((after (mentor-wait-for-diagnostics
                   "PYM001 to go away after the edit"
                   (lambda (ds) (and (not (mentor-find-code ds "PYM001")) (mentor-find-code ds "PYM004"))))))
       (mentor-expect (equal (mapcar #'mentor-diag-code after) '("PYM005" "PYM004"))
                      "after the fix: %s" (mentor-summarize after))))))

;;; code-action.el ends here
