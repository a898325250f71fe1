;;; hover.el --- Hover shows the knowledge entry behind a name  -*- lexical-binding: t; -*-

;; The request eglot's eldoc hook sends (textDocument/hover at point), made directly so the
;; scenario reads the answer instead of an echo-area message.

(defun mentor-hover-at (needle offset)
  "The hover text for point OFFSET characters into NEEDLE (\"\" when the server has none)."
  (goto-char (+ (mentor-find needle) offset))
  (let* ((params (eglot--TextDocumentPositionParams))
         (result (jsonrpc-request (eglot-current-server) :textDocument/hover params
                                  :timeout mentor-wait-seconds))
         (contents (plist-get result :contents))
         (text (cond ((null contents) "")
                     ((stringp contents) contents)
                     ((plist-get contents :value))
                     (t (format "%S" contents)))))
    (mentor-log "hover over %S at %S: %d characters" needle (plist-get params :position) (length text))
    text))

(mentor-run
 "hover"
 (lambda ()
   (mentor-open "app.py" mentor-sample)
   (mentor-wait-for-diagnostics "the first diagnostics" #'identity)

   (let ((decorator (mentor-hover-at "@staticmethod" 3)))
     (mentor-expect (string-search "`@staticmethod` vs `@classmethod`" decorator)
                    "no entry title in the staticmethod hover:\n%s" decorator)
     (mentor-expect (string-search "classmethod" (replace-regexp-in-string "`@staticmethod` vs `@classmethod`" "" decorator))
                    "the staticmethod hover does not mention classmethod beyond its title:\n%s" decorator))

   ;; `is' after Korean text and an emoji: the UTF-16 column eglot sends must reach the keyword.
   (let ((identity (mentor-hover-at "x is 1" 2)))
     (mentor-expect (string-search "PYM001" identity) "the hover over `is' does not name PYM001:\n%s" identity))

   (let ((plain (mentor-hover-at "session, total)" (length "session, "))))
     (mentor-expect (string-empty-p plain) "an ordinary local name should have no hover, got:\n%s" plain))))

;;; hover.el ends here
