/* The REPL: lines in, through readline's callback interface so that Ctrl-C can cancel a line
 * or an open block at the prompt, and a running evaluation (a sweep stops between points);
 * the session itself is the workspace's (workspace.c). Commands are declared once, in a
 * table that :help, completion and dispatch read. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "builtins.h"
#include "cli.h"
#include "schema.h"
#include "workspace.h"

/* Ctrl-C: SIGINT is blocked in every thread and read from a signalfd by a watcher thread,
 * which sets the flag evaluations check and wakes the prompt's select through a pipe; no
 * signal handler runs, so nothing races with the sweep's workers (ThreadSanitizer agrees). */
static volatile sig_atomic_t interrupted;
static int sig_fd = -1, wake[2] = {-1, -1};

static void *watch_sigint(void *arg) {
  (void)arg;
  struct signalfd_siginfo si;
  while (read(sig_fd, &si, sizeof si) == (ssize_t)sizeof si) {
    __atomic_store_n(&interrupted, 1, __ATOMIC_RELAXED);
    char c = 1;
    if (write(wake[1], &c, 1) < 0) /* full: a wake-up is pending already */
      continue;
  }
  return NULL;
}

/* Before any thread starts, so that all of them inherit the blocked SIGINT. Without a signalfd
 * (never on Linux) Ctrl-C keeps its default: it ends the REPL. */
static void catch_sigint(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  if (pipe(wake))
    return;
  for (int i = 0; i < 2; i++) {
    fcntl(wake[i], F_SETFL, O_NONBLOCK);
    fcntl(wake[i], F_SETFD, FD_CLOEXEC);
  }
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  sig_fd = signalfd(-1, &set, SFD_CLOEXEC);
  pthread_t t;
  if (sig_fd < 0 || pthread_create(&t, NULL, watch_sigint, NULL)) {
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    return;
  }
  pthread_detach(t);
}

/* Takes a Ctrl-C: whether one came since the last call. */
static int take_interrupt(void) {
  char b[64];
  if (wake[0] >= 0)
    while (read(wake[0], b, sizeof b) > 0)
      ;
  return __atomic_exchange_n(&interrupted, 0, __ATOMIC_RELAXED);
}

typedef struct {
  Workspace ws;
  char *acc; /* an input still open (a block, a bracket) */
  size_t acclen, acccap;
  int open; /* brackets acc leaves open */
  int done, interactive;
  char hist[4096];
} Repl;

static Repl R;

/* ---- commands --------------------------------------------------------------------------- */

typedef struct {
  const char *name, *args, *help;
  void (*run)(const char *arg);
} Command;

static void c_help(const char *arg);
static void c_funcs(const char *arg);
static void c_load(const char *arg) {
  ws_load(&R.ws, arg);
}
static void c_reload(const char *arg) {
  (void)arg;
  ws_reload(&R.ws);
}
static void c_set(const char *arg) {
  ws_set(&R.ws, arg);
}
static void c_unset(const char *arg) {
  ws_unset(&R.ws, arg);
}
static void c_show(const char *arg) {
  ws_show(&R.ws, arg);
}
static void c_save(const char *arg) {
  ws_save(&R.ws, arg);
}
static void c_reset(const char *arg) {
  (void)arg;
  int threads = R.ws.threads;
  ws_free(&R.ws);
  ws_init(&R.ws, stdout, &interrupted, threads);
  printf("session reset\n");
}
static void c_cancel(const char *arg) {
  (void)arg;
  printf("nothing to cancel\n");
}
static void c_quit(const char *arg) {
  (void)arg;
  R.done = 1;
}

static const Command commands[] = {
    {"help", "[NAME]", "this text; with NAME, a built-in's, a field's or a command's help", c_help},
    {"funcs", "[FILTER]", "built-in functions, those whose name or help has FILTER", c_funcs},
    {"load", "FILE", "compile FILE into the session and run its reports (twice: harmless)", c_load},
    {"reload", "", "read every loaded file again and say what changed", c_reload},
    {"set", "PATH=VALUE", "override a field or constant everywhere, as --set does", c_set},
    {"unset", "PATH", "drop the override of PATH", c_unset},
    {"show", "NAME|PATH",
     "a block or scenario; a field's, constant's or result's value; "
     "session",
     c_show},
    {"save", "FILE", "write the session as a formatted .edsl file", c_save},
    {"reset", "", "forget everything defined so far", c_reset},
    {"cancel", "", "leave an open block (also Ctrl-C)", c_cancel},
    {"quit", "", "leave (also Ctrl-D on an empty line)", c_quit},
};
enum { NCOMMANDS = sizeof commands / sizeof *commands };

static const Command *find_command(const char *name) {
  for (int i = 0; i < NCOMMANDS; i++)
    if (!strcmp(commands[i].name, name) ||
        (!strcmp(name, "q") && !strcmp(commands[i].name, "quit")))
      return &commands[i];
  return NULL;
}

static int has_ci(const char *hay, const char *needle) {
  size_t n = strlen(needle);
  for (; *hay; hay++)
    if (!strncasecmp(hay, needle, n))
      return 1;
  return !n;
}

static void c_funcs(const char *arg) {
  int nf, shown = 0;
  const BuiltinFamily *const *fam = builtin_families(&nf);
  for (int f = 0; f < nf; f++)
    for (int i = 0; i < fam[f]->n; i++)
      if (has_ci(fam[f]->rows[i].help, arg))
        printf("  %s\n", fam[f]->rows[i].help), shown++;
  if (!shown)
    printf("no built-in function matches '%s'\n", arg);
}

/* The fields named path: kind.path (market.firms), a block's (inference.firms) or any kind's
 * (firms). */
static int help_field(const char *name) {
  const char *dot = strchr(name, '.');
  int shown = 0;
  for (int k = 0; k <= D_LATEX; k++) {
    int n;
    const FieldSpec *f = field_specs_of((DeclKind)k, &n);
    const char *kn = decl_kind_name((DeclKind)k);
    for (int i = 0; f && i < n; i++) {
      int match = !strcmp(f[i].path, name) || !strcmp(kn, name); /* market: all its fields */
      if (!match && dot) {
        size_t root = (size_t)(dot - name);
        char r[64];
        snprintf(r, sizeof r, "%.*s", (int)(root < 63 ? root : 63), name);
        Decl *b = program_find(&R.ws.s.prog, r);
        match = !strcmp(f[i].path, dot + 1) && ((b && b->kind == (DeclKind)k) || !strcmp(r, kn));
      }
      if (match)
        printf("  %s.%s (%s): %s\n", kn, f[i].path, f[i].req == REQ ? "required" : "optional",
               f[i].help),
            shown++;
    }
  }
  return shown;
}

static void c_help(const char *arg) {
  if (!*arg) {
    printf("Type edsl: declarations (x = 3 USD, market m { ... }), 'report NAME = expr', "
           "sweeps, samples,\n"
           "PATH = value (an override, like :set), or any expression to see its value.\n"
           "A redefinition replaces the old one; a block may span lines ('...' until it is "
           "closed).\n"
           "Tab completes; Ctrl-C cancels the line, the open block or the running evaluation.\n");
    for (int i = 0; i < NCOMMANDS; i++) {
      char head[48];
      snprintf(head, sizeof head, ":%s %s", commands[i].name, commands[i].args);
      printf("  %-18s %s\n", head, commands[i].help);
    }
    return;
  }
  const char *name = arg[0] == ':' ? arg + 1 : arg;
  const Command *c = find_command(name);
  if (c) {
    printf("  :%s %s  %s\n", c->name, c->args, c->help);
    return;
  }
  int shown = 0;
  for (const Builtin *b = builtin_lookup(name); b; b = builtin_next(b))
    printf("  %s\n", b->help), shown++;
  shown += help_field(name);
  Decl *d = strchr(name, '.') ? NULL : program_find(&R.ws.s.prog, name);
  if (d)
    printf("  %s is a %s of the session (:show %s)\n", name, decl_kind_name(d->kind), name),
        shown++;
  if (!shown)
    printf("no built-in, field, command or name '%s' (:funcs FILTER searches the built-ins)\n",
           name);
}

/* ---- input ------------------------------------------------------------------------------ */

/* The brackets a line leaves open (a string ends at its line, a comment at '#'): while any
 * is, the input is incomplete without parsing it. */
static int open_after(const char *line, int open) {
  int in_str = 0;
  for (const char *c = line; *c; c++) {
    if (in_str) {
      if (*c == '\\' && c[1])
        c++;
      else if (*c == '"')
        in_str = 0;
    } else if (*c == '#')
      break;
    else if (*c == '"')
      in_str = 1;
    else if (*c == '{' || *c == '[' || *c == '(')
      open++;
    else if (*c == '}' || *c == ']' || *c == ')')
      open--;
  }
  return open;
}

/* Does the text end inside a block, bracket or string? Parsed silently. */
static int incomplete_input(const char *text) {
  Session tmp;
  session_init(&tmp);
  char *sink = NULL;
  size_t len = 0;
  tmp.diag.out = open_memstream(&sink, &len);
  int id = sources_add(&tmp.src, "<repl>", text, strlen(text));
  int inc = 0;
  edsl_parse(tmp.ar, &tmp.diag, id, &inc);
  if (!inc && tmp.diag.nerrors) /* not statements: an expression, perhaps, still open */
    edsl_parse_expr(tmp.ar, &tmp.diag, id, &inc);
  fclose(tmp.diag.out);
  free(sink);
  session_free(&tmp);
  return inc;
}

static void drop_input(void) {
  free(R.acc);
  R.acc = NULL;
  R.acclen = R.acccap = 0;
  R.open = 0;
}

static const char *prompt(void) {
  return R.acc ? "  ... " : "edsl> ";
}

static void command(const char *line) {
  char name[64] = "";
  sscanf(line + 1, "%63s", name);
  const char *arg = line + 1 + strlen(name);
  while (*arg == ' ' || *arg == '\t')
    arg++;
  char *a = strdup(arg);
  for (size_t n = strlen(a); n && (a[n - 1] == ' ' || a[n - 1] == '\t'); n--)
    a[n - 1] = 0;
  const Command *c = find_command(name);
  if (!c)
    printf("error: unknown command ':%s' (try :help)\n", name);
  else if (c->args[0] && c->args[0] != '[' && !a[0])
    printf("error: :%s takes %s\n", c->name, c->args);
  else
    c->run(a);
  free(a);
}

static void handle_line(const char *line) {
  take_interrupt();
  const char *t = line;
  while (*t == ' ' || *t == '\t')
    t++;
  if (*t == ':') {
    if (R.acc && !strncmp(t, ":cancel", 7)) {
      drop_input();
      printf("cancelled\n");
    } else if (!R.acc)
      command(t);
    else
      printf("error: a block is open: close it, or :cancel\n");
    take_interrupt();
    return;
  }
  size_t l = strlen(line);
  if (R.acclen + l + 2 > R.acccap) { /* doubling: a long block costs linear copying */
    R.acccap = 2 * (R.acclen + l + 2);
    R.acc = realloc(R.acc, R.acccap);
  }
  memcpy(R.acc + R.acclen, line, l);
  R.acclen += l;
  R.acc[R.acclen++] = '\n';
  R.acc[R.acclen] = 0;
  R.open = open_after(line, R.open);
  if (R.open > 0 || incomplete_input(R.acc))
    return;
  char *text = R.acc;
  R.acc = NULL;
  R.acclen = R.acccap = 0;
  R.open = 0;
  int blank = 1;
  for (const char *c = text; *c && blank; c++)
    blank = *c == ' ' || *c == '\t' || *c == '\n';
  if (!blank)
    ws_input(&R.ws, text);
  free(text);
  take_interrupt(); /* a Ctrl-C that stopped the evaluation is spent */
}

/* ---- completion ------------------------------------------------------------------------- */

static char **cands;
static int ncands, capcands;

static void cand(const char *s) {
  if (ncands == capcands) {
    capcands = capcands ? 2 * capcands : 64;
    cands = realloc(cands, (size_t)capcands * sizeof *cands);
  }
  cands[ncands++] = strdup(s);
}

static void cands_clear(void) {
  for (int i = 0; i < ncands; i++)
    free(cands[i]);
  ncands = 0;
}

static char *cand_next(const char *text, int state) {
  static int i;
  if (!state)
    i = 0;
  size_t n = strlen(text);
  while (i < ncands)
    if (!strncmp(cands[i++], text, n))
      return strdup(cands[i - 1]);
  return NULL;
}

static void cands_names(const char *text) {
  const char *dot = strrchr(text, '.');
  if (dot) { /* a block's fields */
    char root[256];
    snprintf(root, sizeof root, "%.*s", (int)(dot - text), text);
    char *first = strchr(root, '.');
    if (first)
      *first = 0;
    Decl *d = program_find(&R.ws.s.prog, root);
    if (!d)
      return;
    int n;
    const FieldSpec *f = field_specs_of(d->kind, &n);
    char b[512];
    for (int i = 0; f && i < n; i++) {
      snprintf(b, sizeof b, "%s.%s", root, f[i].path);
      cand(b);
    }
    return;
  }
  for (int i = 0; i < R.ws.s.prog.ndecls; i++)
    if (R.ws.s.prog.decls[i]->name[0] != '_')
      cand(R.ws.s.prog.decls[i]->name);
  int nf;
  const BuiltinFamily *const *fam = builtin_families(&nf);
  for (int f = 0; f < nf; f++)
    for (int i = 0; i < fam[f]->n; i++)
      if (builtin_lookup(fam[f]->rows[i].name) == &fam[f]->rows[i])
        cand(fam[f]->rows[i].name);
  static const char *const kw[] = {"report", "sweep", "sample", "scenario", "table",
                                   "import", "fn",    "in",     "to",       "with"};
  for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
    cand(kw[i]);
}

static char **complete(const char *text, int start, int end) {
  (void)end;
  rl_attempted_completion_over = 1;
  cands_clear();
  const char *line = rl_line_buffer;
  while (*line == ' ')
    line++;
  if (*line == ':' && !R.acc) {
    if (start <= (int)(line - rl_line_buffer) + 1 && text[0] == ':') {
      char b[64];
      for (int i = 0; i < NCOMMANDS; i++)
        snprintf(b, sizeof b, ":%s", commands[i].name), cand(b);
      return rl_completion_matches(text, cand_next);
    }
    if (!strncmp(line, ":load", 5) || !strncmp(line, ":save", 5)) {
      rl_attempted_completion_over = 0; /* readline's file names */
      return NULL;
    }
  }
  cands_names(text);
  rl_completion_append_character = strchr(text, '.') ? ' ' : ' ';
  return rl_completion_matches(text, cand_next);
}

/* A list of matches: a built-in's with its signature, a field's with its help. */
static void display(char **matches, int n, int max) {
  (void)max;
  putchar('\n');
  for (int i = 1; i <= n; i++) {
    const Builtin *b = builtin_lookup(matches[i]);
    const char *dot = strrchr(matches[i], '.');
    if (b)
      for (; b; b = builtin_next(b))
        printf("  %s\n", b->help);
    else if (dot) {
      char root[256];
      snprintf(root, sizeof root, "%.*s", (int)(strchr(matches[i], '.') - matches[i]), matches[i]);
      Decl *d = program_find(&R.ws.s.prog, root);
      const FieldSpec *f = d ? field_spec(d->kind, strchr(matches[i], '.') + 1) : NULL;
      printf("  %-28s %s\n", matches[i], f ? f->help : "");
    } else
      printf("  %s\n", matches[i]);
  }
  rl_forced_update_display();
}

/* ---- the loops -------------------------------------------------------------------------- */

static void on_rl_line(char *line) {
  if (!line) { /* Ctrl-D on an empty line */
    putchar('\n');
    R.done = 1;
    return;
  }
  if (*line) {
    add_history(line);
    if (R.hist[0])
      append_history(1, R.hist);
  }
  handle_line(line);
  free(line);
  fflush(stdout);
  if (!R.done)
    rl_set_prompt(prompt());
}

static void loop_interactive(void) {
  rl_catch_signals = 0; /* SIGINT is ours: it cancels, it does not end the process */
  rl_attempted_completion_function = complete;
  rl_completion_display_matches_hook = display;
  rl_basic_word_break_characters = " \t\n\"\\'`@$><=;|&{(,+-*^[]"; /* not / : paths */
  rl_callback_handler_install(prompt(), on_rl_line);
  while (!R.done) {
    fd_set in;
    FD_ZERO(&in);
    FD_SET(0, &in);
    if (wake[0] >= 0)
      FD_SET(wake[0], &in);
    int r = select(wake[0] > 0 ? wake[0] + 1 : 1, &in, NULL, NULL, NULL);
    if (take_interrupt()) { /* Ctrl-C at the prompt: the line and any open block are dropped */
      drop_input();
      rl_free_line_state();
      rl_callback_sigcleanup();
      rl_replace_line("", 0);
      rl_crlf();
      rl_set_prompt(prompt());
      rl_on_new_line();
      rl_redisplay();
      continue;
    }
    if (r < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    if (FD_ISSET(0, &in))
      rl_callback_read_char();
  }
  rl_callback_handler_remove();
}

static void loop_piped(void) {
  char *line = NULL;
  size_t cap = 0;
  for (;;) {
    fflush(stdout);
    errno = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0)
      break;
    if (n > 0 && line[n - 1] == '\n')
      line[n - 1] = 0;
    handle_line(line);
    if (R.done)
      break;
  }
  free(line);
}

int repl_main(void) {
  memset(&R, 0, sizeof R);
  R.interactive = isatty(0) && isatty(1);
  const char *h = getenv("EDSL_HISTORY");
  if (h && *h)
    snprintf(R.hist, sizeof R.hist, "%s", h);
  else if (getenv("HOME"))
    snprintf(R.hist, sizeof R.hist, "%s/.edsl_history", getenv("HOME"));
  catch_sigint();
  ws_init(&R.ws, stdout, &interrupted, default_threads());
  if (R.interactive) {
    using_history();
    stifle_history(1000); /* memory flat however long the session */
    if (R.hist[0]) {
      int fd = open(R.hist, O_WRONLY | O_CREAT | O_APPEND, 0600);
      if (fd >= 0)
        close(fd);
      read_history(R.hist);
    }
    printf("edsl REPL - :help for help, :quit to leave\n");
    loop_interactive();
    if (R.hist[0])
      history_truncate_file(R.hist, 1000);
  } else
    loop_piped();
  if (R.acc) { /* say what the unfinished input lacks */
    char *text = R.acc;
    R.acc = NULL;
    ws_input(&R.ws, text);
    free(text);
  }
  cands_clear();
  free(cands);
  ws_free(&R.ws);
  return 0;
}
