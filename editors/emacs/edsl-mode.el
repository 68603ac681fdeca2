;;; edsl-mode.el --- Major mode for edsl scenario files -*- lexical-binding: t -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: languages
;; URL: https://github.com/edsl/edsl

;;; Commentary:

;; Font-lock, comments, indentation and diagnostics for edsl, the scenario language for the
;; economics of endogenous decentralization.
;;
;;   (add-to-list 'load-path "/path/to/edsl/editors/emacs")
;;   (require 'edsl-mode)
;;
;; `.edsl' files then open in `edsl-mode'.  Indentation is two spaces per open bracket, as
;; `edsl fmt' writes it; \\[edsl-format-buffer] runs `edsl fmt' on the buffer.  With
;; `flymake-mode' on, the diagnostics of `edsl check --json' appear as you save.

;;; Code:

(require 'subr-x)

(defgroup edsl nil
  "Editing edsl scenario files."
  :group 'languages
  :prefix "edsl-")

(defcustom edsl-program "edsl"
  "The edsl executable, used by `edsl-format-buffer' and the flymake backend."
  :type 'string)

(defcustom edsl-indent-offset 2
  "Columns of indentation per open bracket."
  :type 'integer
  :safe #'integerp)

;; The word lists follow grammar/lexer.l and interp/units.c; tests/editors.sh checks them.
(defconst edsl-keywords
  '("import" "table" "scenario" "with" "report" "sweep" "sample" "fn" "in" "to")
  "Statement keywords of edsl.")

(defconst edsl-block-keywords
  '("learning_curve" "market" "workload" "adoption" "mesh" "growth" "cycle"
    "prediction" "plot" "progress" "uncertain" "claim" "dynamics" "calibrate" "latex")
  "Keywords that open a declaration block: KEYWORD NAME { ... }.")

(defconst edsl-constants '("true" "false" "inf")
  "Literal constants of edsl.")

(defconst edsl-operator-words '("and" "or" "not")
  "Logical operators spelled as words.")

(defconst edsl-units
  '("USD" "GB" "TB" "PB" "EB" "year" "month" "day" "hour" "minute" "second" "ms" "units")
  "Units known to the interpreter.")

(defconst edsl-font-lock-keywords
  (let ((ident "[A-Za-z_][A-Za-z0-9_]*"))
    `((,(concat "\\_<" (regexp-opt edsl-block-keywords t) "[ \t]+\\(" ident "\\)[ \t]*{")
       (1 font-lock-keyword-face) (2 font-lock-type-face))
      (,(concat "\\_<\\(table\\|scenario\\|sample\\)[ \t]+\\(" ident "\\)")
       (1 font-lock-keyword-face) (2 font-lock-type-face))
      (,(concat "\\_<\\(fn\\)[ \t]+\\(" ident "\\)")
       (1 font-lock-keyword-face) (2 font-lock-function-name-face))
      (,(concat "\\_<\\(report\\|sweep\\)[ \t]+\\(" ident "\\)[ \t]*=[^=]")
       (1 font-lock-keyword-face) (2 font-lock-variable-name-face))
      (,(concat "\\_<" (regexp-opt edsl-keywords t) "\\_>") . font-lock-keyword-face)
      (,(concat "\\_<" (regexp-opt edsl-constants t) "\\_>") . font-lock-constant-face)
      (,(concat "\\_<" (regexp-opt edsl-operator-words t) "\\_>") . font-lock-builtin-face)
      (,(concat "\\_<" (regexp-opt edsl-units t) "\\_>") . font-lock-type-face)
      (,(concat "\\_<\\(" ident "\\)[ \t]*(") 1 font-lock-function-name-face)
      (,(concat "^[ \t]*\\(" ident "\\(?:\\." ident "\\)*\\)[ \t]*=[^=]")
       1 font-lock-variable-name-face)))
  "Highlighting for `edsl-mode'.")

(defvar edsl-mode-syntax-table
  (let ((table (make-syntax-table)))
    (modify-syntax-entry ?# "<" table)
    (modify-syntax-entry ?\n ">" table)
    (modify-syntax-entry ?\" "\"" table)
    (modify-syntax-entry ?\\ "\\" table)
    (modify-syntax-entry ?_ "_" table)
    (modify-syntax-entry ?' "." table)
    (dolist (c '(?+ ?- ?* ?/ ?^ ?< ?> ?= ?! ?& ?| ?% ?, ?. ?: ?\;))
      (modify-syntax-entry c "." table))
    table)
  "Syntax table for `edsl-mode': # comments, strings, three bracket kinds.")

(defun edsl--code-end ()
  "Move to the end of the code on this line, before comment and blanks."
  (end-of-line)
  (let ((ppss (syntax-ppss)))
    (when (nth 4 ppss)
      (goto-char (nth 8 ppss))))
  (skip-chars-backward " \t"))

(defun edsl--line-continues-p ()
  "Non-nil when the statement on this line goes on to the next line.
A newline ends a statement after a token that can end one: a name, number,
string, closing bracket, `%', `inf', `true' or `false' (grammar/lexer.l)."
  (save-excursion
    (edsl--code-end)
    (and (> (point) (line-beginning-position))
         (not (memq (char-before) '(?\) ?\] ?} ?% ?\" ?{)))
         (not (and (memq (char-syntax (char-before)) '(?w ?_))
                   (not (member (buffer-substring-no-properties
                                 (save-excursion (skip-syntax-backward "w_") (point))
                                 (point))
                                '("import" "table" "scenario" "with" "report" "sweep"
                                  "sample" "fn" "in" "to" "and" "or" "not"))))))))

(defun edsl--previous-code-line ()
  "Move to the previous line with code on it; nil at the start of the buffer."
  (let (found)
    (while (and (not found) (= 0 (forward-line -1)))
      (back-to-indentation)
      (unless (or (eolp) (eq (char-after) ?#))
        (setq found t)))
    found))

(defun edsl--table-brace-p (pos)
  "Non-nil when the brace at POS opens the rows of a `table NAME(...)'."
  (save-excursion
    (goto-char pos)
    (and (eq (char-after) ?{)
         (progn (skip-chars-backward " \t\n") (eq (char-before) ?\)))
         (condition-case nil (progn (backward-sexp) t) (scan-error nil))
         (progn (skip-chars-backward " \t") (skip-syntax-backward "w_")
                (skip-chars-backward " \t")
                (looking-back "\\_<table" (line-beginning-position))))))

(defun edsl--calculate-indentation ()
  "The column of the current line in the layout that `edsl fmt' writes."
  (save-excursion
    (let* ((ppss (prog1 (syntax-ppss (line-beginning-position))
                   (back-to-indentation))) ; syntax-ppss moves point
           (open (nth 1 ppss))
           (closer (looking-at "[])}]"))
           (braces (save-excursion
                     (let ((n 0))
                       (dolist (pos (nth 9 ppss) n)
                         (when (eq (char-after pos) ?{) (setq n (1+ n)))))))
           (brace-col (* edsl-indent-offset (max 0 (if (looking-at "}") (1- braces) braces)))))
      (cond
       ;; A data table row: `edsl fmt' aligns its cells, so it keeps its place.
       ((and open (not closer) (edsl--table-brace-p open))
        (max brace-col (current-indentation)))
       ;; Inside ( or [ with content after it on its line: align with that content.
       ((and open (memq (char-after open) '(?\( ?\[))
             (save-excursion
               (goto-char (1+ open))
               (skip-chars-forward " \t")
               (not (or (eolp) (eq (char-after) ?#)))))
        (save-excursion
          (goto-char (1+ open))
          (skip-chars-forward " \t")
          (- (current-column) (if closer 1 0))))
       ;; A continued statement: under the first name of a report list, else four more.
       ((save-excursion
          (and (edsl--previous-code-line)
               (or (edsl--line-continues-p)
                   (and open (memq (char-after open) '(?\( ?\[))))))
        (let ((after-comma (save-excursion
                             (edsl--previous-code-line)
                             (edsl--code-end)
                             (eq (char-before) ?,)))
              (start (save-excursion
                       (while (and (save-excursion
                                     (and (edsl--previous-code-line)
                                          (edsl--line-continues-p)))
                                   (edsl--previous-code-line)))
                       (back-to-indentation)
                       (point))))
          (save-excursion
            (goto-char start)
            (cond ((not (looking-at "report\\_>")) (+ (current-column) 4))
                  ;; the next name under the first; the rest of an expression four more
                  (after-comma
                   (+ (current-column) 7))
                  (t (+ (current-column) 11))))))
       (t brace-col)))))

(defun edsl-indent-line ()
  "Indent the current line as `edsl fmt' would."
  (interactive)
  (let ((target (edsl--calculate-indentation))
        (offset (- (current-column) (current-indentation))))
    (indent-line-to (max 0 target))
    (when (> offset 0)
      (move-to-column (+ target offset)))))

(defun edsl-format-buffer ()
  "Replace the buffer with its canonical layout from `edsl fmt'.
The buffer is left alone when the file does not parse; the errors are shown."
  (interactive)
  (let ((out (generate-new-buffer " *edsl fmt*"))
        (err (make-temp-file "edsl-fmt"))
        (point (point)))
    (unwind-protect
        (let ((status (call-process-region (point-min) (point-max) edsl-program nil
                                           (list out err) nil "fmt" "/dev/stdin")))
          (if (eql status 0)
              (progn
                (replace-buffer-contents out)
                (goto-char (min point (point-max))))
            (message "edsl fmt: %s"
                     (with-temp-buffer
                       (insert-file-contents err)
                       (string-trim (buffer-string))))))
      (kill-buffer out)
      (delete-file err))))

(defvar-local edsl--flymake-process nil
  "The running `edsl check' process of this buffer, if any.")

(declare-function flymake-make-diagnostic "flymake")
(declare-function flymake-diag-region "flymake")

(defun edsl--flymake-diagnostics (buffer json-text)
  "Flymake diagnostics for BUFFER from the JSON-TEXT of `edsl check --json'."
  (let* ((report (json-parse-string json-text :object-type 'alist :array-type 'list))
         (file (buffer-file-name buffer)))
    (delq nil
          (mapcar
           (lambda (d)
             (when (or (null file)
                       (string= (expand-file-name (alist-get 'file d))
                                (expand-file-name file)))
               (let ((region (flymake-diag-region buffer (alist-get 'line d)
                                                  (1- (alist-get 'column d)))))
                 (flymake-make-diagnostic
                  buffer (car region) (cdr region)
                  (if (equal (alist-get 'severity d) "warning") :warning :error)
                  (alist-get 'message d)))))
           (alist-get 'diagnostics report)))))

(defun edsl-flymake (report-fn &rest _args)
  "Flymake backend: run `edsl check --json' on the saved file; call REPORT-FN."
  (let ((file (buffer-file-name))
        (buffer (current-buffer)))
    (when (process-live-p edsl--flymake-process)
      (kill-process edsl--flymake-process))
    (if (or (null file) (buffer-modified-p) (not (executable-find edsl-program)))
        (funcall report-fn nil)
      (setq edsl--flymake-process
            (make-process
             :name "edsl-check" :noquery t :connection-type 'pipe
             :buffer (generate-new-buffer " *edsl check*")
             :command (list edsl-program "check" file "--json")
             :sentinel
             (lambda (proc _event)
               (when (memq (process-status proc) '(exit signal))
                 (unwind-protect
                     (when (and (buffer-live-p buffer)
                                (eq proc (buffer-local-value 'edsl--flymake-process buffer)))
                       (let ((text (with-current-buffer (process-buffer proc)
                                     (buffer-string))))
                         (condition-case nil
                             (funcall report-fn (edsl--flymake-diagnostics buffer text))
                           (error (funcall report-fn :panic
                                           :explanation "edsl check gave no JSON")))))
                   (kill-buffer (process-buffer proc))))))))))

(defvar edsl-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd "C-c C-f") #'edsl-format-buffer)
    map)
  "Keymap for `edsl-mode'.")

;;;###autoload
(define-derived-mode edsl-mode prog-mode "edsl"
  "Major mode for edsl scenario files.
\\{edsl-mode-map}"
  :syntax-table edsl-mode-syntax-table
  (setq-local comment-start "# ")
  (setq-local comment-start-skip "#+[ \t]*")
  (setq-local comment-end "")
  (setq-local font-lock-defaults '(edsl-font-lock-keywords))
  (setq-local indent-line-function #'edsl-indent-line)
  (setq-local indent-tabs-mode nil)
  (setq-local electric-indent-chars (append "})]" electric-indent-chars))
  (add-hook 'flymake-diagnostic-functions #'edsl-flymake nil t))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.edsl\\'" . edsl-mode))

(provide 'edsl-mode)

;;; edsl-mode.el ends here
