import CSQLiteSetup
import GRDB
import GRDBSQLite

/// How redline's SQLite connections (the search index, the document cache) are opened.
enum SQLiteSetup {
    /// Whether SQLite took the process-wide settings (`redline_sqlite_setup`), made once, before
    /// the first connection (SQLite refuses them after).
    static let applied = redline_sqlite_setup() == SQLITE_OK

    /// A connection's configuration, the process-wide settings made first.
    static func configuration() -> Configuration {
        _ = applied
        return Configuration()
    }
}
