import XCTest
@testable import PolicyCore

/// The bundled corpus parses into the section trees the policies actually have.
final class CorpusStructureTests: XCTestCase {
    func testBundledCorpusLoadsFiveVersionsOfThreeRetailers() {
        let corpus = Fixtures.bundled
        XCTAssertEqual(corpus.warnings, [])
        XCTAssertEqual(corpus.retailers.map(\.domain), ["diamondnexus.com", "jamesallen.com", "worldjewels.com"])
        XCTAssertEqual(corpus.retailers.map(\.name), ["Diamond Nexus", "James Allen", "WorldJewels"])
        XCTAssertEqual(corpus.documents.map(\.id), [
            "diamondnexus.com@2015-09-27", "diamondnexus.com@2016-03-14",
            "jamesallen.com@2010-12-31", "jamesallen.com@2019-07-04", "worldjewels.com@2016-11-24",
        ])
    }

    /// A name written in capitals shows no word boundary by its case ("SHODAN" is not "SHodan");
    /// a short one is an acronym ("NYPL", nypl.org 2012); a mixed-case form decides when there is one.
    func testNamesInCapitals() {
        func name(_ domain: String, _ body: String) -> String {
            let doc = PolicyDocument(domain: domain, title: "P", format: .markdown, snapshotURL: nil, archiveDate: "2012-01-01",
                                     lastUpdated: nil, caseFolded: false, sections: [], sourcePath: "/x")
            return DisplayName.derive(domain: domain, sources: [(raw: body, doc: doc)])
        }
        XCTAssertEqual(name("nypl.org", "The NYPL respects your privacy. NYPL never sells it."), "NYPL")
        XCTAssertEqual(name("shodan.io", "SHODAN keeps logs. SHODAN sells nothing."), "shodan.io")
        XCTAssertEqual(name("shodan.io", "SHODAN keeps logs. Shodan sells nothing."), "Shodan")
        XCTAssertEqual(name("jamesallen.com", "JamesAllen.com and JAMESALLEN.COM"), "JamesAllen")
    }

    /// A name of three words splits twice; a short joining word inside stays lower-case.
    func testNamesOfThreeWords() {
        let doc = PolicyDocument(domain: "shadesoflight.com", title: "P", format: .flat, snapshotURL: nil, archiveDate: "2007-02-09",
                                 lastUpdated: nil, caseFolded: true,
                                 sections: [PolicySection(path: "0", title: "Preamble", level: 1, isPreamble: true, clauses: [
                                     Clause(kind: .paragraph, text: "shades of light respects your privacy. shades of light's staff never sell it.", line: 1)])],
                                 sourcePath: "/x")
        XCTAssertEqual(DisplayName.derive(domain: "shadesoflight.com", sources: [(raw: "", doc: doc)]), "Shades of Light")
    }

    func testDiamondNexusFlatSections() {
        XCTAssertEqual(Fixtures.topLevel(Fixtures.doc("diamondnexus.com@2015-09-27")), [
            "our commitment to privacy", "the information we collect", "the way we use our information",
            "our commitment to data security", "our commitment to children's privacy",
            "how you can access or correct your information", "cookies", "google analytics", "how to contact us",
        ])
    }

    func testWorldJewelsFlatSections() {
        XCTAssertEqual(Fixtures.topLevel(Fixtures.doc("worldjewels.com@2016-11-24")), [
            "personal information we collect", "tell-a-friend", "security", "accuracy of collected data", "minors",
            "legal disclaimer", "cookies", "changes in this privacy statement", "disclosure",
        ])
    }

    func testJamesAllen2019HasTwelveNumberedSectionsWithSubsectionsUnderSix() {
        let doc = Fixtures.doc("jamesallen.com@2019-07-04")
        let top = doc.sections.filter { !$0.isPreamble }
        XCTAssertEqual(top.count, 12)
        XCTAssertEqual(top.map(\.path), (1...12).map(String.init))
        for (n, section) in top.enumerated() {
            XCTAssertTrue(section.title.hasPrefix("\(n + 1)."), section.title)
        }
        XCTAssertEqual(Fixtures.topLevel(doc)[6], "use by children")
        let six = top[5]
        XCTAssertEqual(six.children.map(\.title), [
            "A. EU Data Subject Rights", "B. Cookies, Tracking Options and California Do Not Track Disclosures",
            "C. Interest-Based Advertising Choices",
        ])
        XCTAssertEqual(six.children.map(\.path), ["6.1", "6.2", "6.3"])
        XCTAssertTrue(top.filter { $0.path != "6" }.allSatisfy { $0.children.isEmpty })
    }

    func testJamesAllen2010AndDiamondNexus2016Headings() {
        XCTAssertEqual(Fixtures.topLevel(Fixtures.doc("jamesallen.com@2010-12-31")), [
            "information we collect", "use of information", "security", "access to correction", "children's privacy",
            "terms of use, notices and revisions",
        ])
        XCTAssertEqual(Fixtures.topLevel(Fixtures.doc("diamondnexus.com@2016-03-14")), [
            "our commitment to privacy", "the way we use our information", "our commitment to data security",
            "our commitment to children's policy", "how can you access or correct your information", "cookies",
            "google analytics",
        ])
    }

    func testVersionMetadata() {
        let ja = Fixtures.doc("jamesallen.com@2019-07-04")
        XCTAssertEqual(ja.format, .markdown)
        XCTAssertFalse(ja.caseFolded)
        XCTAssertEqual(ja.lastUpdated, "2019-02-28")
        XCTAssertEqual(ja.snapshotURL?.hasPrefix("https://web.archive.org/web/20190704"), true)
        let wj = Fixtures.doc("worldjewels.com@2016-11-24")
        XCTAssertEqual(wj.format, .flat)
        XCTAssertTrue(wj.caseFolded)
        XCTAssertEqual(wj.lastUpdated, "2011-12-04")
        XCTAssertEqual(wj.snapshotURL, "https://web.archive.org/web/20161124212326/http://www.worldjewels.com/privacy-policy/")
        XCTAssertEqual(wj.sections.first?.isPreamble, true)
    }

    func testNoNavigationOrFooterSurvivesInFlatDocuments() {
        let flat = Fixtures.bundled.documents.filter { $0.format == .flat }
        XCTAssertEqual(flat.count, 2)
        for doc in flat {
            let text = ([doc.title] + doc.allSections.map(\.title) + doc.allClauses.map(\.text)).joined(separator: " ")
            for nav in ["shopping bag", "black friday preview sale", "join the club", "track your order", "free catalog",
                        "all rights reserved", "sign in", "engagement rings solitaire"] {
                XCTAssertFalse(text.contains(nav), "\(doc.id) keeps navigation/footer text \"\(nav)\"")
            }
        }
    }

    func testPaypalDetailsSitInTheAccountRowOfTheSectionOneTable() throws {
        let doc = Fixtures.doc("jamesallen.com@2019-07-04")
        let section = try XCTUnwrap(doc.section(at: "1"))
        let rows = section.clauses.filter { $0.kind == .tableRow }
        XCTAssertGreaterThanOrEqual(rows.count, 15)
        let header = try XCTUnwrap(section.clauses.first { $0.kind == .tableHeader })
        XCTAssertEqual(header.cells.count, 4)
        let paypal = rows.filter { $0.text.contains("Paypal Details") }
        XCTAssertEqual(paypal.count, 1)
        let row = try XCTUnwrap(paypal.first)
        XCTAssertEqual(row.rowTitle, "When you create an account and purchase a product")
        XCTAssertEqual(row.cells.count, 4)
        XCTAssertEqual(row.cells.map(\.header), header.cells.map(\.text))
        XCTAssertEqual(row.cells[0].header, "Data we collect")
        XCTAssertTrue(row.cells[0].text.hasSuffix("Paypal Details"))
        XCTAssertTrue(rows.contains { $0.rowTitle == "When you request a customized design" })
    }

    func testClausesKnowWhereTheyCameFrom() throws {
        let doc = Fixtures.doc("jamesallen.com@2010-12-31")
        let source = try String(contentsOf: Fixtures.dataDir.appendingPathComponent("jamesallen.com__2010-12-31.md"), encoding: .utf8)
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        for clause in doc.allClauses {
            let line = lines[clause.line - 1]
            let firstWord = Tokenizer.words(clause.text).first.map(String.init) ?? ""
            XCTAssertTrue(line.contains(firstWord), "line \(clause.line) does not hold \"\(clause.text.prefix(40))\"")
        }
        let flat = Fixtures.doc("worldjewels.com@2016-11-24")
        let flatSource = try String(contentsOf: Fixtures.dataDir.appendingPathComponent("worldjewels.com__2016-11-24.txt"), encoding: .utf8)
        let body = Array(flatSource.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)[flat.allClauses[0].line - 1])
        for clause in flat.allClauses {
            let start = clause.column - 1
            let slice = String(String.UnicodeScalarView(body[start..<min(body.count, start + 20)]))
            XCTAssertTrue(slice.hasPrefix(String(clause.text.unicodeScalars.prefix(5))), "column \(clause.column): \(slice)")
        }
    }

    func testSampleCorpusLoadsWithSensibleTrees() throws {
        let corpus = try CorpusLoader.load(directory: Fixtures.sampleDir)
        XCTAssertEqual(corpus.warnings, [])
        XCTAssertEqual(corpus.documents.count, 10)
        for doc in corpus.documents {
            let sections = doc.allSections.filter { !$0.isPreamble }
            XCTAssertFalse(sections.isEmpty, "\(doc.id) has no sections")
            XCTAssertGreaterThan(doc.allClauses.count, 3, doc.id)
            for section in sections {
                XCTAssertFalse(section.title.isEmpty, "\(doc.id) \(section.path) has an empty title")
                XCTAssertLessThanOrEqual(Tokenizer.words(section.title).count, 30, "\(doc.id) \(section.path): \(section.title)")
            }
        }
    }

    func testASectionIsNumberedOnce() {
        XCTAssertEqual(PolicySection.numbered(path: "6", title: "6. Your Rights"), "6. Your Rights")
        XCTAssertEqual(PolicySection.numbered(path: "6", title: "6) Your Rights"), "6) Your Rights")
        XCTAssertEqual(PolicySection.numbered(path: "6.1", title: "A. EU Data Subject Rights"), "6.1 A. EU Data Subject Rights")
        XCTAssertEqual(PolicySection.numbered(path: "1", title: "10. Contact"), "1 10. Contact")
        XCTAssertEqual(PolicySection.numbered(path: "2", title: "Cookies"), "2 Cookies")
    }
}
