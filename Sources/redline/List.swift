import ArgumentParser
import Foundation
import PolicyCore

/// `redline list`: retailers and their versions.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List retailers and their policy versions.")

    @OptionGroup var corpus: CorpusOptions
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run() throws {
        // The version rows as the catalog keeps them: no version is read.
        let retailers = try corpus.catalog().versions()
        if json {
            // Written by hand, byte for byte what `printJSON` writes (an end-to-end test holds it
            // to JSONEncoder's): JSONEncoder took half of a `list` of 10 000 versions.
            var out = JSONText()
            out.output = 1
            out.bytes.reserveCapacity(1 << 19)
            out.object { o in
                o.array("retailers", retailers) { o, r in
                    o.string("id", r.domain)
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
        for retailer in retailers {
            print("\(retailer.name)  (\(retailer.domain), \(retailer.versions.count) version\(retailer.versions.count == 1 ? "" : "s"))")
            for v in retailer.versions {
                print("  \(v.id)  \(v.format.padding(toLength: 8, withPad: " ", startingAt: 0)) \(v.sections) section\(v.sections == 1 ? "" : "s"), \(v.words) word\(v.words == 1 ? "" : "s")")
            }
        }
    }
}
