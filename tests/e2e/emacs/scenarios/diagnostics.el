;;; diagnostics.el --- Pushed diagnostics reach flymake, at the right place  -*- lexical-binding: t; -*-

;; eglot hands the server's publishDiagnostics to flymake, and flymake-mode runs in batch mode
;; too, so `flymake-diagnostics' is what a user sees in the buffer (and in M-x flymake-show-...).

(mentor-run
 "diagnostics"
 (lambda ()
   (mentor-open "app.py" mentor-sample)
   (mentor-expect flymake-mode "eglot did not turn flymake-mode on")
   (let* ((diags (mentor-wait-for-diagnostics
                  "PYM004 and PYM001"
                  (lambda (ds) (and (mentor-find-code ds "PYM004") (mentor-find-code ds "PYM001")))))
          (context (mentor-find-code diags "PYM004"))
          (identity (mentor-find-code diags "PYM001")))
     (mentor-log "flymake has %s" (mentor-summarize diags))
     (mentor-expect (equal (mapcar #'mentor-diag-code diags) '("PYM005" "PYM004" "PYM001"))
                    "expected PYM005, PYM004, PYM001; got %s" (mentor-summarize diags))

     ;; eglot turns the server's UTF-16 columns into buffer positions: they must land on the code.
     (let ((start (mentor-find "aiohttp.ClientSession as")))
       (mentor-expect (and (= (flymake-diagnostic-beg context) start)
                           (= (flymake-diagnostic-end context) (+ start (length "aiohttp.ClientSession"))))
                      "PYM004 should span aiohttp.ClientSession at %d-%d, is at %d-%d" start
                      (+ start (length "aiohttp.ClientSession"))
                      (flymake-diagnostic-beg context) (flymake-diagnostic-end context)))
     (mentor-expect (eq (flymake-diagnostic-type context) 'eglot-error) "PYM004 should be an error, is %s"
                    (flymake-diagnostic-type context))
     (mentor-expect (string-search "python-mentor [PYM004]: " (flymake-diagnostic-text context))
                    "PYM004 text: %s" (flymake-diagnostic-text context))
     (mentor-expect (string-search "`aiohttp.ClientSession()`" (flymake-diagnostic-text context))
                    "PYM004 text: %s" (flymake-diagnostic-text context))

     (let ((start (mentor-find "x is 1")))
       (mentor-expect (and (= (flymake-diagnostic-beg identity) start)
                           (= (flymake-diagnostic-end identity) (+ start (length "x is 1"))))
                      "PYM001 should span `x is 1` at %d-%d, is at %d-%d (a UTF-16/character mix-up shifts it by the emoji)"
                      start (+ start (length "x is 1"))
                      (flymake-diagnostic-beg identity) (flymake-diagnostic-end identity)))
     (mentor-expect (eq (flymake-diagnostic-type identity) 'eglot-warning) "PYM001 should be a warning, is %s"
                    (flymake-diagnostic-type identity))
     (mentor-expect (string-search "compares identity, not value" (flymake-diagnostic-text identity))
                    "PYM001 text: %s" (flymake-diagnostic-text identity))
     (mentor-expect (string-search "Use `==`" (flymake-diagnostic-text identity))
                    "PYM001 text should suggest ==: %s" (flymake-diagnostic-text identity)))))

;;; diagnostics.el ends here
