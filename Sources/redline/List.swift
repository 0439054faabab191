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
        let corpus = try corpus.load()
        let output = Output(retailers: corpus.retailers.map { retailer in
            Output.RetailerEntry(id: retailer.domain, name: retailer.name, versions: retailer.versions.map {
                Output.Version(id: $0.id, date: $0.archiveDate, format: $0.format.rawValue,
                               sections: $0.allSections.filter { !$0.isPreamble }.count, words: $0.wordCount,
                               lastUpdated: $0.lastUpdated, snapshotURL: $0.snapshotURL)
            })
        })
        if json { return try printJSON(output) }
        for retailer in output.retailers {
            print("\(retailer.name)  (\(retailer.id), \(retailer.versions.count) version\(retailer.versions.count == 1 ? "" : "s"))")
            for v in retailer.versions {
                print("  \(v.id)  \(v.format.padding(toLength: 8, withPad: " ", startingAt: 0)) \(v.sections) sections, \(v.words) words")
            }
        }
    }
}
