#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>
#include <wchar.h>
/* X/Open's wcwidth, for the terminal's display widths (glibc declares it only with _XOPEN_SOURCE). */
extern int wcwidth(wchar_t c);
