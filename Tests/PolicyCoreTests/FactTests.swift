import XCTest
@testable import PolicyCore

final class FactTests: XCTestCase {
    func values(_ id: String, _ kind: PolicyFact.Kind) -> [String] {
        FactExtractor.facts(in: Fixtures.doc(id)).filter { $0.kind == kind }.map(\.value)
    }

    /// A date stated in a heading alone (fossil.com's "#### UPDATED: 9/28/2012") is a fact too,
    /// at that section.
    func testALastUpdatedDateInAHeadingIsAFact() throws {
        let header = "> *The following text is extracted and transformed from the acme.example privacy policy that was archived on 2016-03-15. "
            + "Please check the [original snapshot on the Wayback Machine](https://web.archive.org/web/20160315000000id_/http%3A//acme.example/privacy) "
            + "for the most accurate reproduction.*\n\n"
        let doc = try MarkdownPolicyParser().parse(header + "# Privacy\n\n## Privacy policy\n\n#### UPDATED: 9/28/2012\n\n"
                                                   + "This policy describes what we collect.\n\n#### Cookies\n\nWe use cookies.\n", path: "acme.example__2016-03-15.md")
        XCTAssertEqual(doc.lastUpdated, "2012-09-28")
        let facts = FactExtractor.facts(in: doc).filter { $0.kind == .lastUpdated }
        XCTAssertEqual(facts.map(\.value), ["2012-09-28"])
        XCTAssertEqual(facts.first?.sectionTitle, "UPDATED: 9/28/2012")
        XCTAssertEqual(facts.first?.text, "UPDATED: 9/28/2012")
    }

    /// The sample's contact details written other ways: a toll-free number in letters set in bold
    /// alone (no heading), a number dialled from abroad, an address over two lines, one address
    /// written with the state's name and its code.
    func testContactDetailsWrittenOtherWays() throws {
        let sample = try CorpusLoader.load(directory: Fixtures.sampleDir)
        func facts(_ domain: String, _ kind: PolicyFact.Kind) throws -> [String] {
            let doc = try XCTUnwrap(sample.retailers.first { $0.domain == domain }?.latest)
            return FactExtractor.facts(in: doc).filter { $0.kind == kind }.map(\.value)
        }
        XCTAssertEqual(try facts("zales.com", .phone), ["1-800-311-JEWEL"])
        XCTAssertEqual(try facts("zales.com", .address), ["P.O. Box 152771, Irving, Texas 75038-1003"])
        let zales = try XCTUnwrap(sample.retailers.first { $0.domain == "zales.com" }?.latest)
        XCTAssertFalse(zales.allSections.contains { $0.title.contains("JEWEL") }, "a phone number in bold is no heading")
        XCTAssertEqual(try facts("overstock.com", .phone).filter { $0.hasPrefix("00") }, ["00-1-801-559-3816"])
        XCTAssertEqual(try facts("overstock.com", .address).count, 1, "Utah and UT: one address")
        XCTAssertEqual(try facts("angara.com", .address), ["550 South Hill St, Suite 1554, Los Angeles, CA 90013"])
        XCTAssertEqual(FactDiff.key(.phone, "1-800-311-JEWEL"), "8003115393")
        XCTAssertEqual(FactDiff.key(.phone, "00-1-801-559-3816"), FactDiff.key(.phone, "(801) 559-3816"))
        for spelt in ["00-1-800-311-JEWEL", "800-311-JEWEL", "+1 800 311 5393"] { XCTAssertEqual(FactDiff.key(.phone, spelt), "8003115393", spelt) }
        XCTAssertTrue(MarkdownPolicyParser.isPhoneLine("800-311-JEWEL"))
    }

    func testJamesAllen2010() {
        XCTAssertEqual(values("jamesallen.com@2010-12-31", .phone), ["1-877-826-9866"])
        XCTAssertEqual(values("jamesallen.com@2010-12-31", .minimumAge), ["18"])
        XCTAssertEqual(values("jamesallen.com@2010-12-31", .email), [])
        XCTAssertEqual(values("jamesallen.com@2010-12-31", .optOut), ["http://www.jamesallen.com/remove"])
    }

    func testJamesAllen2019() {
        let id = "jamesallen.com@2019-07-04"
        XCTAssertEqual(values(id, .email), ["service@jamesallen.com"])
        XCTAssertEqual(values(id, .lastUpdated), ["2019-02-28"])
        XCTAssertEqual(values(id, .minimumAge), ["18"])
        XCTAssertEqual(values(id, .law), ["EU-US Privacy Shield", "GDPR", "CalOPPA", "California Civil Code 1798.83",
                                          "California Business and Professions Code 22581"])
        XCTAssertEqual(values(id, .thirdParty), ["Facebook", "Instagram", "Twitter", "LinkedIn", "Google Analytics", "PayPal",
                                                 "Digital Advertising Alliance", "European Interactive Digital Advertising Alliance",
                                                 "Network Advertising Initiative", "Google"])
        // The first is a link in a cell of §1's table; §9's ".../gaoptout/" is the same page, once.
        XCTAssertEqual(values(id, .optOut), ["https://tools.google.com/dlpage/gaoptout?hl=en-GB", "http://www.aboutads.info/choices", "http://www.youronlinechoices.eu/",
                                             "http://www.networkadvertising.org/choices/"])
        XCTAssertEqual(FactDiff.key(.optOut, "https://tools.google.com/dlpage/gaoptout?hl=en-GB"), FactDiff.key(.optOut, "http://www.tools.google.com/dlpage/gaoptout/#top"))
        XCTAssertEqual(values(id, .phone), [])
        let gdpr = FactExtractor.facts(in: Fixtures.doc(id)).first { $0.value == "GDPR" }
        XCTAssertEqual(gdpr?.sectionPath, "6.1")
        if let f = gdpr, let s = f.start, let e = f.end {
            XCTAssertEqual(String(String.UnicodeScalarView(f.text.unicodeScalars.dropFirst(s).prefix(e - s))), "GDPR")
        } else { XCTFail("GDPR fact has no position") }
    }

    func testDiamondNexus() {
        let id = "diamondnexus.com@2015-09-27"
        XCTAssertEqual(values(id, .phone), ["1.800.509.4990"])
        XCTAssertEqual(values(id, .email), ["customerservice@diamondnexus.com"])
        XCTAssertEqual(values(id, .minimumAge), ["13"])
        XCTAssertEqual(values(id, .thirdParty), ["Google Analytics", "Google"])
        XCTAssertEqual(values("diamondnexus.com@2016-03-14", .minimumAge), ["13"])
        XCTAssertEqual(values("diamondnexus.com@2016-03-14", .optOut), ["https://tools.google.com/dlpage/gaoptout/"])
    }

    func testWorldJewelsAndNoFactsFromNavigation() {
        let id = "worldjewels.com@2016-11-24"
        XCTAssertEqual(values(id, .email), ["info@worldjewels.com"])
        XCTAssertEqual(values(id, .address), ["444 south hill st suite b los angeles, ca 90013"])
        XCTAssertEqual(values(id, .lastUpdated), ["2011-12-04"])
        XCTAssertEqual(values(id, .minimumAge), ["18"])
        XCTAssertEqual(values(id, .thirdParty), ["VeriSign", "Authorize.Net", "FedEx", "TRUSTe"])
        // The page's header and footer carry 888-967-5353 and customerservice@worldjewels.com: not policy text.
        XCTAssertEqual(values(id, .phone), [])
        let raw = try? String(contentsOf: Fixtures.dataDir.appendingPathComponent("worldjewels.com__2016-11-24.txt"), encoding: .utf8)
        XCTAssertTrue(raw?.contains("customerservice@worldjewels.com") == true, "the footer address this test relies on is gone")
    }

    func testMinimumAgeInWordsAndDigits() {
        func ages(_ s: String) -> [Int] { FactExtractor.minimumAges(in: s).map(\.0) }
        XCTAssertEqual(ages("We do not knowingly collect information from anyone under the age of eighteen."), [18])
        XCTAssertEqual(ages("Children under 13 may not use the site."), [13])
        XCTAssertEqual(ages("You must be at least 16 years old to register."), [16])
        XCTAssertEqual(ages("Visitors 18 years of age or older may enter."), [18])
        XCTAssertEqual(ages("We keep logs for under 30 days."), [])
        XCTAssertEqual(ages("Orders under 100 dollars ship free to customers."), [])
        // California's eraser law: a right of minors, not an age limit (007.com 2017).
        XCTAssertEqual(ages("Our site is for adults. If you are under 18 and a registered user, you may ask us to remove content you posted."), [])
        XCTAssertEqual(ages("You must be at least 16 years old to register. If you are under 18, you may ask us to remove your posts."), [16])
        XCTAssertEqual(ages("We do not knowingly collect personal information from children under 13; if we learn that we have, "
                            + "we will promptly remove it from our records."), [13])
    }

    func testPhonesAndAddresses() throws {
        let doc = PolicyDocument(domain: "x.com", title: "", format: .markdown, snapshotURL: nil, archiveDate: "2020-01-01",
                                 lastUpdated: nil, caseFolded: false, sections: [PolicySection(path: "1", title: "Contact", level: 1, clauses: [
                                    Clause(kind: .paragraph, text: "Call (800) 843-2446 or +1 212 555 0100. Write to 6350 South 3000 East, Salt Lake City, UT 84121. Version 1.800.1 is not a phone; nor is 2019-02-28. Phone: 207-552-3000 Fax: 207-552-3080, (fax) 212 555 0199. Tel/Fax: 207-552-3111. Or by fax at 415-520-3420.", line: 1),
                                    Clause(kind: .paragraph, text: "Write to Mel Farber or Jan.", styles: [
                                        InlineStyle(kind: .link, start: 9, end: 19, url: "mailto:MFarber@GitLab.com?subject=Privacy"),
                                        InlineStyle(kind: .link, start: 23, end: 26, url: "mailto:not-an-address")], line: 2),
                                 ])], sourcePath: "x")
        let facts = FactExtractor.facts(in: doc)
        XCTAssertEqual(facts.filter { $0.kind == .phone }.map(\.value), ["(800) 843-2446", "+1 212 555 0100", "207-552-3000", "207-552-3111"],
                       "a fax is no phone; a number for both is one")
        XCTAssertEqual(facts.filter { $0.kind == .address }.map(\.value), ["6350 South 3000 East, Salt Lake City, UT 84121"])
        // An address set as lines with no street number (llbean.com 2015's contact block).
        let block = Clause(kind: .paragraph, text: "L.L.Bean, Dept. CFM Freeport, ME 04033 Phone: 800-559-0747",
                           styles: [InlineStyle(kind: .lineBreak, start: 19, end: 20), InlineStyle(kind: .lineBreak, start: 38, end: 39)], line: 3)
        let contact = PolicyDocument(domain: "llbean.com", title: "", format: .markdown, snapshotURL: nil, archiveDate: "2015-01-01",
                                     lastUpdated: nil, caseFolded: false, sections: [PolicySection(path: "1", title: "Contact", level: 1, clauses: [block])],
                                     sourcePath: "x")
        let blockFact = try XCTUnwrap(FactExtractor.facts(in: contact).first { $0.kind == .address })
        XCTAssertEqual(blockFact.value, "L.L.Bean, Dept. CFM, Freeport, ME 04033")
        XCTAssertEqual([blockFact.start, blockFact.end], [0, 38])
        // An address only a link's target gives (gitlab.com 2019), where its name is written.
        let mail = try XCTUnwrap(facts.first { $0.kind == .email })
        XCTAssertEqual(facts.filter { $0.kind == .email }.map(\.value), ["mfarber@gitlab.com"])
        XCTAssertEqual([mail.start, mail.end], [9, 19])
    }

    func testSampleCorpusFactsAreWellFormed() throws {
        let corpus = try CorpusLoader.load(directory: Fixtures.sampleDir)
        var kinds = Set<PolicyFact.Kind>()
        for doc in corpus.documents {
            for f in FactExtractor.facts(in: doc) {
                kinds.insert(f.kind)
                XCTAssertNotNil(doc.section(at: f.sectionPath)?.clauses[safe: f.clauseIndex], "\(doc.id) \(f)")
                switch f.kind {
                case .minimumAge: XCTAssertTrue((10...21).contains(f.age ?? 0))
                case .lastUpdated: XCTAssertEqual(f.value, doc.lastUpdated)
                case .email: XCTAssertTrue(f.value.contains("@") && !f.value.contains(" "))
                default: XCTAssertFalse(f.value.isEmpty)
                }
            }
        }
        XCTAssertEqual(kinds, Set(PolicyFact.Kind.allCases), "every kind of fact occurs in the sample corpus")
    }
}
