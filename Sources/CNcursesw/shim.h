#ifndef KUBEGLASS_CNCURSESW_SHIM_H
#define KUBEGLASS_CNCURSESW_SHIM_H

// SwiftPM drops pkg-config's -D flags, so the wide-character API must be asked for here.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <wchar.h>
#include <limits.h>
#include <string.h>
#include <ncursesw/curses.h>

// Macros and globals Swift cannot see directly.
static inline WINDOW *kg_stdscr(void) { return stdscr; }
static inline int kg_lines(void) { return LINES; }
static inline int kg_cols(void) { return COLS; }
static inline int kg_colors(void) { return COLORS; }
static inline int kg_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t kg_a_normal(void) { return A_NORMAL; }
static inline attr_t kg_a_bold(void) { return A_BOLD; }
static inline attr_t kg_a_dim(void) { return A_DIM; }
static inline attr_t kg_a_underline(void) { return A_UNDERLINE; }
static inline attr_t kg_a_reverse(void) { return A_REVERSE; }
static inline attr_t kg_a_italic(void) { return A_ITALIC; }
static inline int kg_key_resize(void) { return KEY_RESIZE; }
static inline int kg_err(void) { return ERR; }

// newterm on the process' own stdin/stdout: returns NULL on an unknown TERM (initscr would exit).
static inline SCREEN *kg_newterm(void) { return newterm(NULL, stdout, stdin); }

// Put one wide character (plus attributes and colour pair) at y, x.
static inline int kg_put_wch(int y, int x, wchar_t ch, attr_t attrs, short pair) {
    cchar_t cc;
    wchar_t wstr[2] = { ch, L'\0' };
    if (setcchar(&cc, wstr, attrs, pair, NULL) != OK) return ERR;
    return mvadd_wch(y, x, &cc);
}

// Whether the locale's character set has this character (ncurses refuses to draw one it has not).
static inline int kg_can_encode(wchar_t ch) {
    char buf[MB_LEN_MAX];
    mbstate_t state;
    memset(&state, 0, sizeof state);
    return wcrtomb(buf, ch, &state) != (size_t)-1;
}

// Columns the C library gives a character in the current locale (-1: not printable).
static inline int kg_wcwidth(wchar_t ch) {
    extern int wcwidth(wchar_t);
    return wcwidth(ch);
}

// terminfo's `colors` (before start_color; negative when the entry has none).
static inline int kg_terminfo_colors(void) { return tigetnum("colors"); }

// Put one of the terminal's line-drawing characters (ACS, named by its VT100 letter: 'q' is ACS_HLINE)
// at y, x. Terminals without line drawing get ncurses' ASCII stand-ins (- | +).
static inline int kg_put_acs(int y, int x, char letter, attr_t attrs, short pair) {
    return mvaddch(y, x, NCURSES_ACS(letter) | attrs | COLOR_PAIR(pair));
}

#endif
