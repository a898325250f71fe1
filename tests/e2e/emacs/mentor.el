;;; mentor.el --- Shared harness for the Emacs + eglot scenarios  -*- lexical-binding: t; -*-

;; Written for Debian 12's Emacs 28.2 with elpa-eglot 1.9, the oldest pair we support.  A scenario
;; runs as `emacs --batch -Q -l mentor.el -l scenarios/<name>.el' and reads:
;;   PYM_SERVER_JS    the server bundle (python-mentor.js)
;;   PYM_NODE         the node executable (default "node")
;;   PYM_E2E_WORKDIR  an empty folder: the project root and home of the scenario's files
;;   PYM_E2E_LOG      where the scenario writes what it did and why it failed
;;   PYM_E2E_EVENTS   where eglot's events buffer (the JSON-RPC traffic) and the server's stderr go
;;   PYM_E2E_WAIT_MS  how long any one wait may take (default 10000)
;; It exits 0 when every expectation held and the server shut down, 1 otherwise, 2 when the
;; environment is incomplete.  Nothing sleeps: every wait polls its condition with a deadline.

;;; Code:

(require 'cl-lib)
(require 'subr-x)

(defvar mentor--started (float-time))

(defun mentor-log (format-string &rest args)
  "Append a line to the scenario log, stamped with the milliseconds since the start."
  (let ((line (format "[%6d ms] %s\n" (round (* 1000 (- (float-time) mentor--started)))
                      (apply #'format format-string args)))
        (file (getenv "PYM_E2E_LOG")))
    (if (and file (not (string-empty-p file)))
        (let ((coding-system-for-write 'utf-8))
          (write-region line nil file 'append 'silent))
      (princ line #'external-debugging-output))))

(defun mentor--require-env (name)
  (let ((value (getenv name)))
    (when (or (null value) (string-empty-p value))
      (mentor-log "missing environment variable %s (run the scenario through tests/e2e/emacs.test.ts)" name)
      (kill-emacs 2))
    value))

(defvar mentor-bundle (mentor--require-env "PYM_SERVER_JS"))
(defvar mentor-workdir (file-name-as-directory (mentor--require-env "PYM_E2E_WORKDIR")))
(defvar mentor-node (or (getenv "PYM_NODE") "node"))
(defvar mentor-wait-seconds
  (/ (string-to-number (or (getenv "PYM_E2E_WAIT_MS") "10000")) 1000.0))

;; -Q (no site-lisp, no package activation) hides Debian's elpa-* packages: activate them from
;; where Debian installs them, so eglot 1.9 (and the newer project/xref it needs) load.
(require 'package)
(setq package-directory-list '("/usr/share/emacs/site-lisp/elpa")
      package-user-dir (expand-file-name "elpa" user-emacs-directory))
(package-initialize)
(unless (require 'eglot nil t)
  (mentor-log "eglot cannot be loaded (load-path %S): install Debian's elpa-eglot" load-path)
  (kill-emacs 2))
(require 'flymake)
(require 'python)

;; Whatever the server asks for is answered without a prompt: a prompt in batch mode reads stdin.
(setq eglot-confirm-server-initiated-edits nil
      ;; Block in `eglot' until initialize is answered, but no longer than a wait may take.
      eglot-sync-connect t
      eglot-connect-timeout (ceiling mentor-wait-seconds)
      eglot-autoshutdown nil
      ;; A server that dies mid-scenario must fail it, not be restarted behind its back.
      eglot-autoreconnect nil
      python-indent-guess-indent-offset nil
      make-backup-files nil
      create-lockfiles nil)

(define-error 'mentor-failure "Scenario expectation failed")

(defun mentor-fail (format-string &rest args)
  "Stop the scenario: `mentor-run' logs the message and exits 1."
  (signal 'mentor-failure (list (apply #'format format-string args))))

(defmacro mentor-expect (condition format-string &rest args)
  "Fail with FORMAT-STRING and ARGS unless CONDITION holds."
  `(unless ,condition (mentor-fail ,format-string ,@args)))

(defun mentor-wait-for (what condition &optional describe)
  "Poll CONDITION until it returns non-nil, and return that value.
At the deadline fail with WHAT, plus what DESCRIBE tells about the state it last saw.
Polling lets process output (and the timers it schedules) run between checks."
  (let ((deadline (+ (float-time) mentor-wait-seconds))
        value)
    (while (and (not (setq value (funcall condition)))
                (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or value
        (mentor-fail "timed out after %.1f s waiting for %s%s" mentor-wait-seconds what
                     (if describe (concat "; " (funcall describe)) "")))))

(defvar mentor-server nil "The eglot server of the scenario.")

(defun mentor-start-server (buffer)
  "Start `python-mentor lsp --stdio' for BUFFER's folder the way `M-x eglot' would."
  (with-current-buffer buffer
    (let ((contact (list mentor-node mentor-bundle "lsp" "--stdio")))
      (mentor-log "starting eglot: %s" (string-join contact " "))
      ;; A transient project: the work folder is not under version control.
      (setq mentor-server (eglot '(python-mode) (cons 'transient mentor-workdir)
                                 'eglot-lsp-server contact "python"))
      (mentor-expect (and mentor-server (jsonrpc-running-p mentor-server)) "eglot did not start the server")
      (mentor-wait-for "eglot to manage the buffer" (lambda () (eq (eglot-current-server) mentor-server)))
      ;; flymake-mode defers its first check until the buffer is displayed, which batch mode never
      ;; does: start it now, so eglot's backend gets flymake's report function and passes on what
      ;; the server publishes, as it does in a visible buffer.
      (flymake-start)
      (mentor-expect (memq 'eglot-flymake-backend (flymake-running-backends))
                     "flymake is not running eglot's backend: %S" (flymake-running-backends))
      (mentor-log "initialized; buffer %s is managed" (buffer-name)))))

(defun mentor-open (name lines)
  "Write LINES to NAME in the work folder, visit it in `python-mode' and start eglot there."
  (let ((file (expand-file-name name mentor-workdir)))
    (let ((coding-system-for-write 'utf-8))
      (write-region (concat (string-join lines "\n") "\n") nil file nil 'silent))
    (let ((buffer (find-file-noselect file)))
      (with-current-buffer buffer
        (unless (derived-mode-p 'python-mode) (python-mode))
        (mentor-log "visiting %s" file))
      (set-buffer buffer)
      (mentor-start-server buffer)
      buffer)))

(defun mentor-find (needle)
  "The buffer position where NEEDLE first occurs in the current buffer."
  (save-excursion
    (goto-char (point-min))
    (if (search-forward needle nil t)
        (match-beginning 0)
      (mentor-fail "the buffer does not contain %s" needle))))

(defun mentor-line-at (pos)
  (save-excursion
    (goto-char pos)
    (buffer-substring-no-properties (line-beginning-position) (line-end-position))))

(defun mentor-diag-code (diag)
  "The LSP code of a flymake diagnostic that eglot made from a server diagnostic."
  (plist-get (alist-get 'eglot-lsp-diag (flymake-diagnostic-data diag)) :code))

(defun mentor-flymake-diagnostics ()
  "Flymake's diagnostics of the current buffer, in buffer order."
  (sort (flymake-diagnostics) (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b)))))

(defun mentor-find-code (diags code)
  (cl-find code diags :key #'mentor-diag-code :test #'equal))

(defun mentor-summarize (diags)
  (if diags
      (mapconcat (lambda (d)
                   (format "%s@%d-%d %s" (mentor-diag-code d) (flymake-diagnostic-beg d)
                           (flymake-diagnostic-end d) (flymake-diagnostic-text d)))
                 diags "; ")
    "(no diagnostics)"))

(defun mentor-wait-for-diagnostics (what predicate)
  "Wait until flymake holds diagnostics for which PREDICATE is non-nil; return them."
  (mentor-wait-for what
                   (lambda ()
                     (let ((diags (mentor-flymake-diagnostics)))
                       (and (funcall predicate diags) diags)))
                   (lambda () (format "flymake has %s" (mentor-summarize (mentor-flymake-diagnostics))))))

(defun mentor--dump-eglot ()
  "Write eglot's events buffer and the server's stderr to PYM_E2E_EVENTS."
  (let ((file (getenv "PYM_E2E_EVENTS")))
    (when (and file (not (string-empty-p file)))
      (with-temp-buffer
        ;; The events first and the (short) stderr last, so that a tail of the file shows both.
        ;; jsonrpc hides the stderr buffer (its name starts with a space) and also copies each
        ;; stderr line into the events buffer as "[stderr] ...".
        (dolist (kind '("events" "stderr"))
          (dolist (buffer (buffer-list))
            (when (string-match-p (format "\\` ?\\*EGLOT .*%s\\*\\'" kind) (buffer-name buffer))
              (insert (format "--- %s ---\n" (buffer-name buffer)))
              (insert-buffer-substring buffer)
              (insert "\n"))))
        (let ((coding-system-for-write 'utf-8))
          (write-region (point-min) (point-max) file nil 'silent))))))

(defun mentor-shutdown ()
  "Ask the server to shut down and exit, as `eglot-shutdown' does, and check that it exits with 0.
`eglot-shutdown' itself deletes the process right after sending exit, so it cannot tell."
  (let ((process (jsonrpc--process mentor-server)))
    ;; eglot's own flag: the exit that follows is expected, not a crash to report.
    (setf (eglot--shutdown-requested mentor-server) t)
    (jsonrpc-request mentor-server :shutdown nil :timeout mentor-wait-seconds)
    (jsonrpc-notify mentor-server :exit nil)
    (mentor-wait-for "the server process to exit after shutdown and exit"
                     (lambda () (not (process-live-p process))))
    (mentor-expect (and (eq (process-status process) 'exit) (= (process-exit-status process) 0))
                   "the server ended with %s %s instead of exiting with 0"
                   (process-status process) (process-exit-status process))
    (mentor-log "the server answered shutdown and exited with 0")))

(defun mentor-run (name body)
  "Run the scenario NAME (the function BODY) and exit Emacs: 0 when it held, 1 when not."
  (mentor-log "scenario %s: Emacs %s, eglot from %s" name emacs-version (locate-library "eglot"))
  (condition-case err
      (progn
        (funcall body)
        (mentor-expect (and mentor-server (jsonrpc-running-p mentor-server))
                       "the server is no longer running at the end of the scenario")
        (mentor--dump-eglot)
        (mentor-shutdown)
        (mentor-log "scenario %s passed" name)
        (kill-emacs 0))
    (error
     (mentor-log "scenario %s FAILED: %s" name
                 (if (eq (car err) 'mentor-failure) (cadr err) (error-message-string err)))
     (mentor--dump-eglot)
     (kill-emacs 1))))

(defconst mentor-sample
  '("import aiohttp"
    ""
    ""
    "class Person:"
    "    @staticmethod"
    "    def make():"
    "        return Person()"
    ""
    ""
    "async def main(x):"
    "    total = len(\"인사 안녕\")"
    "    async with aiohttp.ClientSession as session:"
    "        print(\"한국어 😀 표\", x is 1, session, total)")
  "The file every scenario opens: findings behind Korean text and an emoji (two UTF-16 units).")

(provide 'mentor)
;;; mentor.el ends here
