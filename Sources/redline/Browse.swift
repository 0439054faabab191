import ArgumentParser
import Foundation
import PolicyCore

/// `redline` / `redline browse`: the terminal browser.
struct Browse: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Open the terminal browser (the default).")

    @OptionGroup var corpus: CorpusOptions

    func run() throws {
        let corpus = try corpus.load()
        Diagnostics.warn("the terminal browser is not built yet; \(corpus.retailers.count) retailers loaded")
        throw ExitCode(2)
    }
}
