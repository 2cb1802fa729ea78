/**
 * The one way CORS Lens prints a shell command: from an argument list, each argument quoted for a
 * POSIX shell (bash, zsh, dash). A value taken from a URL or a header can then never become an
 * operator, a second command or a substitution when the user pastes the line.
 */

/**
 * Characters a POSIX shell never treats specially inside a word (no globbing, expansion or operator).
 * A leading `=` is quoted: zsh expands `=cmd` to the program's path.
 */
const BARE_WORD = /^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/;

/**
 * C0 controls (tab too: pasted, it can trigger completion), DEL, NEL and the Unicode line/paragraph
 * separators: a pasted argument holding one would
 * break the line in a terminal or editor. They are dropped so every command stays one line.
 */
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const LINE_BREAKING = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/g;

/** One argument, quoted: bare when it holds only safe characters, otherwise in single quotes. */
export function shellArg(text: string): string {
  const value = text.replace(LINE_BREAKING, '');
  if (value !== '' && BARE_WORD.test(value)) return value;
  // Inside single quotes nothing is special; a quote itself is closed, escaped and reopened.
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A command line from its arguments (the program first), each quoted by shellArg, on one line. */
export function shellCommand(args: readonly string[]): string {
  return args.map(shellArg).join(' ');
}
