#include <sqlite3.h>
#include "CSQLiteSetup.h"

int redline_sqlite_setup(void) {
    // The index build's writer allocates and frees for every row, while the threads beside it
    // read documents through SQLite too; SQLite's global memory mutex, there to keep statistics
    // nobody reads, was contended (see DECISIONS.md). Without statistics, allocating takes no mutex.
    int code = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    // Each connection is a GRDB queue, which serialises its use (GRDB supports no other way), so
    // SQLite's per-connection mutex, taken a dozen times per inserted row, is left out: SQLite's
    // multi-thread mode, what SQLITE_OPEN_NOMUTEX gives one connection.
    if (code == SQLITE_OK) code = sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    return code;
}
