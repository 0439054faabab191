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
        if json {
            // Written by hand, byte for byte what `printJSON` writes (an end-to-end test holds it
            // to JSONEncoder's): JSONEncoder took half of a `list` of 10 000 versions.
            var out = JSONText()
            out.output = 1
            out.bytes.reserveCapacity(1 << 19)
            out.object { o in
                o.array("retailers", output.retailers) { o, r in
                    o.string("id", r.id)
                    o.string("name", r.name)
                    o.array("versions", r.versions) { o, v in
                        o.string("date", v.date)
                        o.string("format", v.format)
                        o.string("id", v.id)
                        if let u = v.lastUpdated { o.string("lastUpdated", u) }
                        o.int("sections", v.sections)
                        if let u = v.snapshotURL { o.string("snapshotURL", u) }
                        o.int("words", v.words)
                    }
                }
            }
            out.bytes.append(0x0A)
            out.flush(force: true)
            return
        }
        for retailer in output.retailers {
            print("\(retailer.name)  (\(retailer.id), \(retailer.versions.count) version\(retailer.versions.count == 1 ? "" : "s"))")
            for v in retailer.versions {
                print("  \(v.id)  \(v.format.padding(toLength: 8, withPad: " ", startingAt: 0)) \(v.sections) sections, \(v.words) words")
            }
        }
    }
}
