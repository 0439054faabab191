import ArgumentParser
import Foundation
import PolicyCore

/// `redline watch-folder`: the watcher a command starts for a large folder (hidden; see `FolderWatch`).
struct WatchFolder: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch-folder",
        abstract: "Watch a corpus folder and tell commands whether it changed (started by redline itself).",
        shouldDisplay: false)

    @Option(name: .long, help: "The catalog the watcher answers for.") var catalog: String
    @Option(name: .long, help: "Seconds without a question before the watcher exits.") var idle: Double = 600
    @Argument(help: "The folder.") var folder: String

    func run() throws {
        throw ExitCode(FolderWatch.serve(folder: folder, catalog: catalog, idle: idle))
    }
}
