#ifndef REDLINE_CNCURSESW_SHIM_H
#define REDLINE_CNCURSESW_SHIM_H
#define _DEFAULT_SOURCE 1
#define _XOPEN_SOURCE 600
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncurses.h>
#include <term.h>

static const attr_t redline_A_NORMAL = A_NORMAL;
static const attr_t redline_A_BOLD = A_BOLD;
static const attr_t redline_A_REVERSE = A_REVERSE;
static const attr_t redline_A_UNDERLINE = A_UNDERLINE;
static const attr_t redline_A_DIM = A_DIM;
static const attr_t redline_A_ITALIC = A_ITALIC;

static const mmask_t redline_BUTTON1_PRESSED = BUTTON1_PRESSED;
static const mmask_t redline_BUTTON4_PRESSED = BUTTON4_PRESSED;
static const mmask_t redline_BUTTON5_PRESSED = BUTTON5_PRESSED;
static inline attr_t redline_color_pair(int n) { return COLOR_PAIR(n); }
static inline const char *redline_codeset(void) { return nl_langinfo(CODESET); }
#endif
