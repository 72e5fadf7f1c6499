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

// The mouse: presses of the left button and the wheel (buttons 4 and 5; button 5 needs ncurses' mouse
// version 2). No motion reports (REPORT_MOUSE_POSITION): they would flood the input with moves nobody uses.
// mouseinterval(0) reports each press at once instead of holding it back to resolve clicks.
// Returns whether the terminal reports the mouse at all.
static inline int kg_enable_mouse(int on) {
    mmask_t old = 0;
    mmask_t wanted = BUTTON1_PRESSED | BUTTON4_PRESSED;
#if NCURSES_MOUSE_VERSION > 1
    wanted |= BUTTON5_PRESSED;
#endif
    if (!on) return mousemask(0, &old) != 0;
    mouseinterval(0);
    return mousemask(wanted, &old) != 0;
}

// The waiting mouse event, after KEY_MOUSE: 1 left press, 2 wheel up, 3 wheel down, 0 something else,
// -1 none; its cell in x, y.
static inline int kg_read_mouse(int *x, int *y) {
    MEVENT event;
    if (getmouse(&event) != OK) return -1;
    *x = event.x;
    *y = event.y;
    if (event.bstate & BUTTON1_PRESSED) return 1;
    if (event.bstate & BUTTON4_PRESSED) return 2;
#if NCURSES_MOUSE_VERSION > 1
    if (event.bstate & BUTTON5_PRESSED) return 3;
#endif
    return 0;
}

#endif
