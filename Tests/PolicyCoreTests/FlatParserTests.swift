import XCTest
@testable import PolicyCore

/// The flat scrape parser on small hand-written pages.
final class FlatParserTests: XCTestCase {
    func page(_ body: String) -> String {
        "来源URL: https://web.archive.org/web/20140102030405/http://www.shop.example/privacy.html\n"
            + String(repeating: "=", count: 80) + "\n\n" + body
    }

    let nav = "home shop rings earrings necklaces sale shopping bag (0) sign in my account track your order join the club "
    let footer = " about us | contact | careers | terms of use © 2014 shop example inc. all rights reserved. follow us on facebook"

    func testHeaderNavigationFooterAndHeadings() throws {
        let body = nav + "privacy policy we respect your privacy and we explain here how we handle your data. "
            + "information we collect: we collect your name, address and phone number when you place an order with us. "
            + "we also collect your e-mail address. "
            + "cookies we use cookies to keep your shopping cart between visits and to measure traffic on the site. "
            + "minors no information may be submitted by anyone under the age of 13 and we do not knowingly collect it."
            + footer
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        XCTAssertEqual(doc.id, "shop.example@2014-01-02")
        XCTAssertTrue(doc.caseFolded)
        XCTAssertEqual(doc.format, .flat)
        XCTAssertEqual(doc.title, "privacy policy")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble", "information we collect", "cookies", "minors"])
        let all = doc.allClauses.map(\.text).joined(separator: " ")
        XCTAssertFalse(all.contains("shopping bag"))
        XCTAssertFalse(all.contains("all rights reserved"))
        XCTAssertTrue(all.hasSuffix("we do not knowingly collect it."))
    }

    func testCorpusHeadingsHelpFindBoundaries() throws {
        let body = "privacy policy this is the policy of the shop and it explains everything in plain words for you. "
            + "gemstone sourcing we hand your address to the carrier so that your parcel arrives at the right door. "
            + "we keep records for seven years as the tax law requires of every shop in the country."
        let plain = try FlatPolicyParser().parse(page(body), path: "x.txt")
        // Words no heading of the lexicon or of the learned policies uses: only a given heading finds it.
        XCTAssertFalse(plain.allSections.map(\.title).contains("gemstone sourcing"))
        let informed = try FlatPolicyParser(corpusHeadings: ["gemstone sourcing"], retailerHeadings: ["gemstone sourcing"])
            .parse(page(body), path: "x.txt")
        XCTAssertTrue(informed.allSections.map(\.title).contains("gemstone sourcing"))
    }

    func testColonLeadInIsNotAHeading() throws {
        let body = "privacy policy we explain our practices here in full so that you can decide what to share with us. "
            + "the types of personal information collected at these pages are: name, address, email address, phone number. "
            + "we use it only to fulfil your order and never sell it to anybody else at all."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        XCTAssertFalse(doc.allSections.contains { $0.title.hasPrefix("the types") })
    }

    func testQuestionsOpeningASentenceAreHeadings() throws {
        // FAQ-style policies of retailers nobody told the parser about (angara.com, zales.com 2006).
        let body = "privacy policy we respect your privacy and we explain here how we handle your data. "
            + "what information is collected? we collect your name and address when you place an order with us. "
            + "by phone: 888 926 4272 what are cookies? does shop.example use cookies? cookies are small files that "
            + "remember your basket. we think you will like it, won't you? we hope so and we say so in plain words."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        let titles = doc.sections.map(\.title)
        XCTAssertTrue(titles.contains("what information is collected?"), "\(titles)")
        XCTAssertTrue(titles.contains("what are cookies? does shop.example use cookies?"), "\(titles)")
        XCTAssertFalse(titles.contains { $0.hasPrefix("we think") || $0.hasPrefix("won't") }, "a question inside prose is not one")
    }

    func testALoneColonBelongsToTheHeadingBeforeIt() throws {
        // Bold labels scraped as "service providers : we …" (bluenile.com 2006): the colon made an
        // untitled heading and the real one was lost into the previous paragraph.
        let body = "privacy policy we respect your privacy and we explain here how we handle your data. "
            + "we use it for fraud protection and risk reduction. service providers : we may share your details "
            + "with the companies that ship your order to you and take your payment. security - we protect your data "
            + "with encryption at every step of the order process."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        let titles = doc.sections.map(\.title)
        XCTAssertTrue(titles.contains("service providers"), "\(titles)")
        XCTAssertTrue(titles.contains("security"), "\(titles)")
        XCTAssertFalse(titles.contains { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.hasSuffix(" ") }, "\(titles)")
        XCTAssertFalse(doc.allClauses.contains { $0.text.hasSuffix("service providers") }, "the heading stays a heading")
    }

    func testPleaseContactUsAtIsARequestNotAHeading() throws {
        let body = "privacy policy we respect your privacy and we explain here how we handle your data. "
            + "we always welcome your questions. for privacy issues, please contact us at: l.l.bean, dept. cfm "
            + "freeport, me 04033. pixel tags also enable us to send you email in a format you can read."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        let titles = doc.sections.map(\.title)
        XCTAssertFalse(titles.contains("at") || titles.contains("contact us") || titles.contains("pixel tags"), "\(titles)")
    }

    func testBulletsBecomeListItems() throws {
        let body = "privacy policy we collect the following details when you buy something from our shop online today. "
            + "information we collect: • your name • your address • your phone number and we keep them safe for you."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        let items = doc.allClauses.filter { $0.kind == .listItem }.map(\.text)
        // The bullet is the item's mark, not its words (a diff against a Markdown list has no "•" to remove).
        XCTAssertEqual(items, ["your name", "your address", "your phone number and we keep them safe for you."])
        let glued = try FlatPolicyParser().parse(page(body.replacingOccurrences(of: "• ", with: "•")), path: "x.txt")
        XCTAssertEqual(glued.allClauses.filter { $0.kind == .listItem }.map(\.text), items)
        let doubled = try FlatPolicyParser().parse(page(body.replacingOccurrences(of: "• ", with: "• • ")), path: "x.txt")
        XCTAssertEqual(doubled.allClauses.filter { $0.kind == .listItem }.map(\.text), items)
    }

    func testATableOfContentsIsAMapOfTheHeadings() throws {
        // The TRUSTe template of many 2000s retailers (newegg.com 2014's sections): the list of
        // sections at the top, then each section opening with its name and no punctuation.
        let body = "privacy policy shop.example is committed to protecting your privacy. you can learn more about our "
            + "privacy policy below. information collection and use registration order cookies sharing special offers "
            + "choice/opt-out information collection and use shop.example is the sole owner of information collected on "
            + "this site and we will not sell it to anybody. registration in order to process your orders you must "
            + "first complete the registration form with your name and address. order most of the information "
            + "collected at registration is used to process orders and to bill you for them. cookies we customize "
            + "certain pages based upon your browser type and other information our cookie provides. sharing we may "
            + "employ third party companies to perform functions on our behalf such as delivery. special offers our "
            + "special offers are sent only to customers who grant us permission to send them. choice/opt-out for "
            + "customers who wish to stop receiving special offers we provide several ways to do so at any time."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble", "information collection and use", "registration", "order",
                                                   "cookies", "sharing", "special offers", "choice/opt-out"])
        // The table itself stays text of the preamble.
        XCTAssertTrue(doc.sections[0].clauses.map(\.text).joined(separator: " ").hasSuffix("sharing special offers choice/opt-out"))
    }

    func testNumberedHeadingsAndRunInTitles() throws {
        // Numbered headings ending in a full stop (zappos.com 2012), and short run-in titles.
        let body = "privacy policy thank you for visiting our site and for reading how we treat your information. "
            + "1. information collection. we collect information from you in several different ways on this site. "
            + "2. information use and disclosure. we use your personal information to process your order and to "
            + "provide you with customer service. 3. data security. the site incorporates physical, electronic and "
            + "administrative procedures to safeguard your information. 4. terms of use, notices and revisions (this "
            + "policy) we may change this policy from time to time and post the changes here. "
            + "cookies. we use cookies to remember the "
            + "contents of your shopping cart between visits. thank you. we hope you enjoy shopping with us today."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble", "1. information collection.", "2. information use and disclosure.",
                                                   "3. data security.", "4. terms of use, notices and revisions (this policy)",
                                                   "cookies."])
    }

    func testTheShopsLastWordsBeforeTheFooterAreNotThePolicys() throws {
        // A slogan between the policy's last sentence and the footer (shaneco.com 2002).
        let body = nav + "privacy policy we respect your privacy and we explain here how we handle your data. "
            + "we will use information in accordance with the privacy policy under which the information was collected. "
            + "thirty day money back guarantee online or in a store near you. learn more > > > copyright © 2002 shop "
            + "example inc. all rights reserved."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        XCTAssertTrue(doc.allClauses.map(\.text).joined(separator: " ").hasSuffix("under which the information was collected."))
    }

    func testANounAloneBetweenTwoSentencesIsAHeadingButASubjectIsNot() throws {
        // 1000bulbs.com 2013 and diamondnexus.com 2015.
        let body = "privacy policy we respect your privacy and we explain here how we handle your data. "
            + "we may keep your information for as long as the law asks us to keep it. problems if you have a "
            + "complaint about our compliance with this privacy policy, please write to us. information you submit "
            + "on our website will not be used for any other purpose than your order."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble", "problems"])
    }

    func testTheSitesRegisteredNameAndHeadingsThatAreNotPlainNouns() throws {
        // The page lives on a subdomain; its sentences name the site as its domain was registered.
        let header = "来源URL: https://web.archive.org/web/20140102030405/http://help.acmewidgets.com/privacy.html\n"
            + String(repeating: "=", count: 80) + "\n\n"
        let body = "privacy policy print page why this policy? acme widgets respects your privacy and explains here how "
            + "it handles what you tell it. you may ask us about it at any time by mail or by phone. "
            + "with whom we share information pursuant to our contracts, we hand your address to the carrier only. "
            + "the accountability of acme widgets' partners and agents our partners are bound by this policy as we are. "
            + "orders we request your address on our order form so that the parcel arrives at the right door. "
            + "how we put information to good use we use what you tell us to send your order and nothing else. "
            + "employee accountability only those employees who need your details may see them at any time. "
            + "our promise to you in order to keep your trust, we never sell what you tell us to anybody at all."
        let doc = try FlatPolicyParser().parse(header + body, path: "x.txt")
        XCTAssertEqual(FlatPolicyParser.siteName("help.acmewidgets.com"), "acmewidgets")
        XCTAssertEqual(FlatPolicyParser.siteName("www.shop.example.co.uk"), "example")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble", "why this policy?", "with whom we share information",
                                                   "the accountability of acme widgets' partners and agents", "orders",
                                                   "how we put information to good use", "employee accountability",
                                                   "our promise to you"])
    }

    /// Sentences that open with a preposition and its word ("at times", "as part of", "should
    /// you"), or a purpose clause before a comma, end the heading before them; a verb with its
    /// object, or a determiner's subject with its verb, starts a sentence, not a heading's clause.
    func testHeadingsEndWhereTheNextSentenceStarts() throws {
        let body = "privacy policy we respect your privacy and we explain here how we handle your data. "
            + "promotional offers at times we may send you offers from partners we trust. "
            + "sale of the business as part of a sale of the business, your details may pass to the buyer. "
            + "how to contact us should you have questions, please write to the address below. "
            + "our commitment to data security to prevent unauthorized access, we have put procedures in place. "
            + "our use of your information we use the information we collect to send your order. "
            + "payment information we may collect your card number to take payment for the order. "
            + "what about cookies we use cookies to keep your basket between visits. "
            + "how we use information our site does not keep card numbers after the payment is taken. "
            + "account security we take reasonable precautions to protect your details from loss."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble", "promotional offers", "sale of the business", "how to contact us",
                                                   "our commitment to data security", "our use of your information",
                                                   "payment information", "what about cookies", "how we use information",
                                                   "account security"])
    }

    /// A sentence's subject is not a heading: a plural noun and its verb with an object ("web
    /// beacons collect the …"), a verb in "-s" no heading holds ("… constitutes"), an adverb and
    /// its verb ("personal information specifically identifies …"); nor is a known heading that is
    /// a verb's object ("we may transmit personal information if …"), or "email" alone.
    func testASentencesSubjectIsNoHeading() throws {
        let body = "privacy policy we respect your privacy and we explain here how we handle your data. "
            + "cookies we use cookies to keep your basket between visits. web beacons collect the address of the "
            + "computer that reads a page. your use of the site constitutes your agreement to this policy. personal "
            + "information specifically identifies you, such as your name and your address. we may transmit personal "
            + "information if the shop is sold to another company. write to us at 1 main street, springfield 62701 email "
            + "this site is not meant for children under 13 and we do not collect their details."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble", "cookies"])
    }

    /// A contents entry's single word is a heading only if it is one alone: "does" of "does the shop
    /// share …" where a sentence could start is not. A colon ends neither a sentence with its
    /// auxiliary ("… is split into two parts:") nor a call-out ("please note:") as a heading.
    func testContentsWordsAndColonsThatAreNoHeadings() throws {
        let body = "privacy policy shop.example is committed to protecting your privacy. you can learn more about it "
            + "below. information collection and use does shop.example share information? cookies security information "
            + "collection and use shop.example is the sole owner of information collected on this site and keeps it. "
            + "does shop.example share information? we never sell it to anybody at all. we show two prices in the basket: "
            + "does not include the tax. cookies we customize pages based upon your browser type. security we use "
            + "encryption for every order. this policy is split into two parts: one for buyers and one for sellers. "
            + "please note: we may change it at any time and we say so on this page. how you can correct your "
            + "details: you can change them in your account at any time, or write to us and we do it for you."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble", "information collection and use", "does shop.example share information?",
                                                   "cookies", "security", "how you can correct your details"])
    }

    /// More sentence openings that end a heading: "in general,", a defined term in quotes, a
    /// numbered subheading; a question may open with "with whom"; the site's name after "from" or
    /// "to the" is part of the heading, not the next sentence's subject; "by automatic means" is a
    /// noun, not a verb that makes a sentence.
    func testMoreWaysAHeadingEnds() throws {
        let header = "来源URL: https://web.archive.org/web/20140102030405/http://www.acmewidgets.com/privacy.html\n"
            + String(repeating: "=", count: 80) + "\n\n"
        let body = "privacy policy acme widgets respects your privacy and explains here how it handles what you tell it. "
            + "use of information we collect in general, we use what you tell us to send your order. "
            + "2. types of data we collect \"personal data\" means data that identifies you, such as your name. "
            + "3. with whom do we share your information? we share it with the carrier only. "
            + "4. using information from acme widgets acme widgets lets you share your orders with friends. "
            + "5. changes to the acme widgets privacy pledge we may change this policy and say so on this page. "
            + "privacy for buyers 1. what information do we collect? we collect your name and your address. "
            + "information we collect by automatic means cookies we may place cookies on your computer when you visit."
        let doc = try FlatPolicyParser().parse(header + body, path: "x.txt")
        XCTAssertEqual(doc.allSections.map(\.title), ["Preamble", "use of information we collect", "2. types of data we collect",
                                                      "3. with whom do we share your information?",
                                                      "4. using information from acme widgets",
                                                      "5. changes to the acme widgets privacy pledge", "privacy for buyers",
                                                      "1. what information do we collect?",
                                                      "information we collect by automatic means", "cookies"])
    }

    func testATableOfContentsAfterAWordTheOpeningRepeats() throws {
        // The opening sentence's "information" comes again later; the table right after it is still one.
        let body = "privacy policy the information we gather serves you better, and you can read how below. "
            + "information collection and use registration order cookies sharing security notification of changes "
            + "information collection and use the shop owns the information collected on this site and keeps it. "
            + "registration in order to order from us, a user completes a form with a name and an address. "
            + "order we request an address on our order form so that we can send what was bought. "
            + "cookies a cookie is a small file that keeps your basket between visits to the site. "
            + "sharing we share totals of visits with partners, never a name or an address of a customer. "
            + "security this site has measures in place to protect what it holds against loss. "
            + "notification of changes we post every change on this page before it takes effect here."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble", "information collection and use", "registration", "order",
                                                   "cookies", "sharing", "security", "notification of changes"])
    }

    func testLinksBesideHeadingsQuestionsOfTheSiteAndTitlesInsideSentences() throws {
        let header = "来源URL: https://web.archive.org/web/20140102030405/http://www.acmewidgets.com/privacy.html\n"
            + String(repeating: "=", count: 80) + "\n\n"
        let body = "faq ads log in privacy policy this policy applies to all information collected on acmewidgets.com and our apps. "
            + "last updated: february 3, 2009 information we may collect (read more) we may collect your name when you order. "
            + "with whom we may share information we collect (read more) we share it with the carrier only. "
            + "information information not collected [top] we do not keep your searches, and nobody can ask for them. "
            + "how acmewidgets uses your information acmewidgets uses what you tell it for a variety of purposes. "
            + "what information we collect from you acmewidgets collects your address when you place an order with us. "
            + "what we share we will never share your data for advertising purposes of any kind. "
            + "analytics companies may access anonymous data to help us understand how the site is used by visitors. "
            + "cookies to personalize your visit, we use a feature of your browser called a cookie on this site. "
            + "if you connect a social account: we read your public profile and nothing else from it at all. "
            + "cookies also help us: remember which items you placed in your cart while you were away. "
            + "will you be told if acmewidgets changes this policy? acmewidgets updates this policy from time to time and says so. "
            + "questions? our founder wrote this policy and reads every letter you send about it."
        let doc = try FlatPolicyParser().parse(header + body, path: "x.txt")
        // The title after "log in" is the policy's; a year ends its date stamp; a link beside a
        // heading marks it, and a word repeated over it is its heading's (one word over a heading heads
        // no text: dropped, the word stays in the text); the site's name with its
        // verb ends a question; "you" after a preposition is an object; "what" is its verb's object.
        XCTAssertEqual(doc.title, "privacy policy")
        XCTAssertEqual(doc.allSections.map(\.title), [
            "Preamble", "information we may collect", "with whom we may share information we collect", "information not collected", "how acmewidgets uses your information", "what information we collect from you",
            "what we share", "cookies", "will you be told if acmewidgets changes this policy?", "questions?",
        ])
        // A compound subject, a colon after a clause or with "also", the site's verb after a
        // question: none is a heading.
        let text = doc.allSections.flatMap(\.clauses).map(\.text).joined(separator: " ")
        XCTAssertTrue(text.contains("analytics companies may access"))
        XCTAssertTrue(text.contains("if you connect a social account:"))
        XCTAssertTrue(text.contains("cookies also help us:"))
        XCTAssertTrue(text.contains("acmewidgets updates this policy"))
        XCTAssertTrue(text.contains("(read more) we may collect"))
    }

    func testQuestionsListedBeforeTheFirstOfThemAgainAreItsContents() throws {
        let header = "来源URL: https://web.archive.org/web/20190102030405/http://www.acmewidgets.com/privacy.html\n"
            + String(repeating: "=", count: 80) + "\n\n"
        let body = "privacy policy (effective date: august 23, 2019) what does this privacy policy cover? "
            + "what information does acme collect from you? how does acme use your information? how do you contact acme? "
            + "what does this privacy policy cover? this privacy policy covers the acme widgets web site and its apps. "
            + "what information does acme collect from you? we collect your name and address when you order. "
            + "how does acme use your information? we use it to ship your order and for nothing else. "
            + "how do you contact acme? write to us at the address on this page and we will answer you."
        let doc = try FlatPolicyParser().parse(header + body, path: "x.txt")
        XCTAssertEqual(doc.allSections.filter { !$0.isPreamble }.map(\.title), [
            "what does this privacy policy cover?", "what information does acme collect from you?",
            "how does acme use your information?", "how do you contact acme?",
        ])
    }

    func testOneWordBeforeTheSitesNameWithItsVerbIsAHeading() throws {
        let header = "来源URL: https://web.archive.org/web/20120102030405/http://www.acmewidgets.com/privacy.html\n"
            + String(repeating: "=", count: 80) + "\n\n"
        let body = "privacy policy we respect your privacy and protect what you tell us about yourself. "
            + "we never pass your credit card number or your billing address to anyone else. "
            + "wrap-up acmewidgets reserves the right to update this privacy policy at any time, and says so here. "
            + "we answer every letter about this policy within a week of receiving it."
        let doc = try FlatPolicyParser().parse(header + body, path: "x.txt")
        XCTAssertEqual(doc.allSections.filter { !$0.isPreamble }.map(\.title), ["wrap-up"])
    }

    func testATitleInsideASentenceIsNotThePolicysTitle() throws {
        let header = "来源URL: https://web.archive.org/web/20071214030405/http://www.acmewidgets.com/privacy.html\n"
            + String(repeating: "=", count: 80) + "\n\n"
        let body = "if you shop with acme widgets through our parent company (click here for information on the parent's privacy policy), "
            + "any personal information that you share with us is handled as this page says, and only so. "
            + "we collect your name and your address when you place an order, and we keep them for your next order. "
            + "we never sell what you tell us to anyone, and we share it only with the carrier that brings your order."
        let doc = try FlatPolicyParser().parse(header + body, path: "x.txt")
        XCTAssertEqual(doc.title, "privacy policy")   // none of its own
        XCTAssertTrue(doc.allSections.first?.clauses.first?.text.hasPrefix("if you shop with acme widgets") == true)
    }

    /// A heading's word that a phrase after it qualifies is the subject of a sentence or an item of
    /// a list: "questions regarding this policy should be …", "…; your choices regarding …".
    func testAHeadingWordThatTheSentenceQualifiesIsNoHeading() throws {
        let body = "privacy policy we respect your privacy and we explain here how we handle your data. "
            + "this policy tells you what we collect; your choices regarding the collection of your data; and how to reach us. "
            + "cookies we use cookies to keep your basket between visits and to count our visitors. "
            + "questions regarding this privacy policy should be sent to our privacy team by e-mail or by post."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble", "cookies"])
    }

    /// What a lead-in ending in a preposition leads to is its object, not a heading.
    func testTheObjectOfALeadInIsNoHeading() throws {
        let body = "privacy policy we respect your privacy and we explain here how we handle your data. "
            + "we may also share your personal data with: service providers under contract who help us ship your orders. "
            + "cookies we use cookies to keep your basket between visits and to count our visitors. "
            + "if you have any questions about this policy, you can write to us at: general counsel acme widgets inc. "
            + "10 main street springfield."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble", "cookies"])
    }

    /// An adverb with its comma after a heading opens the next sentence ("… generally, you …"); without
    /// one it stands between a subject and its verb ("cookies generally help us …").
    func testAnAdverbWithItsCommaOpensTheSentenceAfterAHeading() throws {
        let body = "privacy policy we respect your privacy and we explain here how we handle your data. "
            + "information we collect generally, you decide how much you tell us when you place an order with us. "
            + "cookies generally help us keep your basket between visits and count our visitors."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble", "information we collect"])
    }

    /// A known heading before its "(read more)" link is one though the page lost the full stop before it.
    func testAKnownHeadingBeforeItsLinkNeedsNoFullStop() throws {
        let body = "privacy policy we respect your privacy and we explain here how we handle your data. "
            + "you can change your details at any time by logging into your account security (read more) we protect "
            + "your details with encryption and we keep them on servers in a locked room."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble", "security"])
    }

    /// The company's short name that the opening defines opens sentences as the site's name does.
    func testTheCompanysDefinedNameOpensASentenceAfterAHeading() throws {
        let body = "privacy policy widgetco, inc. (\"widgetco\") owns and operates this site and we explain here how we "
            + "handle your data. anonymous user information widgetco collects some anonymous information each time you "
            + "visit a page of the site. directory services widgetco offers listings of shops and we keep your searches "
            + "for a month."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble", "anonymous user information", "directory services"])
    }

    /// A known heading takes its relative clause up to the colon that ends it.
    func testAKnownHeadingTakesItsClauseUpToAColon() throws {
        let body = "privacy policy we respect your privacy and we explain here how we handle your data. "
            + "personal information you provide to us: we receive and store any information you enter on the site "
            + "or give us in any other way, and we keep it for as long as your account is open."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble", "personal information you provide to us"])
    }

    /// The next sentence's subject may repeat the heading's last noun: the heading ends before it.
    func testAHeadingEndsBeforeItsLastNounRepeatedAsASubject() throws {
        let body = "privacy policy we respect your privacy and we explain here how we handle your data. "
            + "we use your data only for your orders and for nothing else. international transfers of information "
            + "information may be processed, stored and used outside of the country in which you are located."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble", "international transfers of information"])
    }

    /// A phrase that ends on a verb with its object after it opens a sentence: no heading.
    func testAVerbBeforeItsObjectEndsNoHeading() throws {
        let body = "privacy policy we respect your privacy and we explain here how we handle your data. "
            + "we use your data only for your orders and for nothing else. be sure to check the url that you link "
            + "to from our pages to see whether this policy applies. check out our illustrated guides at example.org and example.net. "
            + "we take care. the other way to release it to the public is to sell it, and we never do that."
        let doc = try FlatPolicyParser().parse(page(body), path: "x.txt")
        XCTAssertEqual(doc.sections.map(\.title), ["Preamble"])
    }
}
