import ArgumentParser
import Foundation
import PolicyCore

/// `redline list`: retailers and their versions.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List retailers and their policy versions.")

    @OptionGroup var corpus: CorpusOptions
    @Flag(name: .long, help: "Print JSON.") var json = false

    struct Output: Encodable {
        struct Version: Encodable {
            var id, date, format: String
            var sections, words: Int
            var lastUpdated, snapshotURL: String?
        }
        struct RetailerEntry: Encodable {
            var id, name: String
            var versions: [Version]
        }
        var retailers: [RetailerEntry]
    }

    func run() throws {
        // The version rows as the catalog keeps them: no version is read.
        var retailers: [Output.RetailerEntry] = []
        for row in try corpus.catalog().versions() {
            let version = Output.Version(id: row.id, date: row.date, format: row.format, sections: row.sections, words: row.words,
                                         lastUpdated: row.lastUpdated, snapshotURL: row.snapshotURL)
            if retailers.last?.id == row.domain {
                retailers[retailers.count - 1].versions.append(version)
            } else {
                retailers.append(Output.RetailerEntry(id: row.domain, name: row.retailer, versions: [version]))
            }
        }
        let output = Output(retailers: retailers)
        if json { return try printJSON(output) }
        for retailer in output.retailers {
            print("\(retailer.name)  (\(retailer.id), \(retailer.versions.count) version\(retailer.versions.count == 1 ? "" : "s"))")
            for v in retailer.versions {
                print("  \(v.id)  \(v.format.padding(toLength: 8, withPad: " ", startingAt: 0)) \(v.sections) sections, \(v.words) words")
            }
        }
    }
}
