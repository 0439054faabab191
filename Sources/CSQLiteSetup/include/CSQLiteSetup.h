#ifndef CSQLITESETUP_H
#define CSQLITESETUP_H

/// Process-wide SQLite settings, which only `sqlite3_config` makes and Swift cannot call (it is
/// variadic): no memory statistics, multi-thread mode. Made before the process opens its first
/// connection; later, SQLite refuses them (SQLITE_MISUSE, returned) and nothing changes.
int redline_sqlite_setup(void);

#endif
