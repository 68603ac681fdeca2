;;; emacs-test.el --- checks of edsl-mode, run by tests/editors.sh -*- lexical-binding: t -*-

;;; Commentary:

;; emacs --batch -l emacs-test.el -f edsl-test-faces FIXTURE    faces of each token run
;; emacs --batch -l emacs-test.el -f edsl-test-indent FILE...   re-indent, list changes
;; emacs --batch -l emacs-test.el -f edsl-test-reindent FILE     print FILE re-indented
;; emacs --batch -l emacs-test.el -f edsl-test-comment          comment a line

;;; Code:

(add-to-list 'load-path (expand-file-name "../emacs" (file-name-directory load-file-name)))
(require 'edsl-mode)

(defun edsl-test--visit (file)
  "Insert FILE into the current buffer, in `edsl-mode', fontified."
  (insert-file-contents file)
  (edsl-mode)
  (font-lock-ensure))

(defun edsl-test-faces ()
  "Print each run of text with one face: LINE:COL FACE TEXT."
  (with-temp-buffer
    (edsl-test--visit (car command-line-args-left))
    (goto-char (point-min))
    (while (not (eobp))
      (let* ((face (get-text-property (point) 'face))
             (end (or (next-single-property-change (point) 'face) (point-max))))
        (when face
          (princ (format "%d:%d %s %s\n" (line-number-at-pos) (current-column)
                         face (buffer-substring-no-properties (point) end))))
        (goto-char end))))
  (setq command-line-args-left nil))

(defun edsl-test-indent ()
  "Re-indent each file; print the lines that change, and a count."
  (let ((changed 0) (total 0))
    (dolist (file command-line-args-left)
      (with-temp-buffer
        (edsl-test--visit file)
        (let ((before (split-string (buffer-string) "\n")))
          (let ((inhibit-message t))
            (indent-region (point-min) (point-max)))
          (let ((after (split-string (buffer-string) "\n")) (n 1))
            (while before
              (setq total (1+ total))
              (unless (equal (car before) (car after))
                (setq changed (1+ changed))
                (princ (format "%s:%d\n  fmt  |%s\n  emacs|%s\n"
                               file n (car before) (car after))))
              (setq before (cdr before) after (cdr after) n (1+ n)))))))
    (princ (format "emacs indentation: %d of %d lines differ from edsl fmt\n" changed total))
    (setq command-line-args-left nil)
    (kill-emacs (if (= changed 0) 0 1))))

(defun edsl-test-reindent ()
  "Print the file re-indented by `indent-region'."
  (with-temp-buffer
    (edsl-test--visit (car command-line-args-left))
    (let ((inhibit-message t))
      (indent-region (point-min) (point-max)))
    (princ (buffer-string)))
  (setq command-line-args-left nil))

(defun edsl-test-comment ()
  "Comment a line with `comment-region' and check the prefix is \"# \"."
  (with-temp-buffer
    (insert "firms = 5\n")
    (edsl-mode)
    (comment-region (point-min) (point-max))
    (unless (equal (buffer-string) "# firms = 5\n")
      (princ (format "comment-region gave %S\n" (buffer-string)))
      (kill-emacs 1))
    (uncomment-region (point-min) (point-max))
    (unless (equal (buffer-string) "firms = 5\n")
      (princ (format "uncomment-region gave %S\n" (buffer-string)))
      (kill-emacs 1))))

;;; emacs-test.el ends here
