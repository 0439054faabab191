import XCTest
@testable import PolicyCore

/// Where the flat parser finds a policy's start and end on a page: small pages, the navigation
/// before the policy and the footer after it.
final class FlatExtentTests: XCTestCase {
    /// The policy's words on `page` (navigation, policy and footer on one line) of the site `site`.
    static func extent(_ page: String, site: String = "example") -> String {
        let tokens = Tokenizer.whitespaceTokens(page)
        let layout = FlatPolicyParser().layout(tokens, site: site)
        return tokens[layout.bodyStart..<layout.bodyEnd].joined(separator: " ")
    }

    static let policy = "privacy policy we respect the privacy of our customers and we protect the information you give us. "
        + "we collect your name and address when you place an order with us on the site. "
        + "we use this information to ship your order and to tell you about the status of the order. "
        + "we do not sell or rent your personal information to third parties for their marketing. "
        + "if you have questions about this policy, please write to us and we will answer them."

    /// A footer of the site's links, its name in every other word, with no commas, before a legal
    /// notice in prose; a list of the company's trademarks keeps its commas and stays the policy's.
    func testAMenuOfTheSitesNameBeforeALegalNoticeIsTheFooter() {
        let menu = " example electronics.example computers.example home.example tools.example sport.example kids.example garden.example books.example "
            + "shirt.example wine.example deals.example example today's example blog community what is example? "
            + "mumbo jumbo example.com is operated by example services llc. products on example.com are sold by example, inc. "
            + "product narratives are for entertainment purposes and do not express the editorial opinion of example. © example, inc. 2014"
        XCTAssertEqual(Self.extent("home | shop | help " + Self.policy + menu), Self.policy)
        let marks = " example, example logo, example kids, example home, example sport, example tools, example wine, example deals, "
            + "example blog, example shirt and example today are trademarks of example, inc. in the united states."
        let last = " you can write to us about this privacy policy at any time, and we will answer your questions."
        XCTAssertEqual(Self.extent("home | shop | help " + Self.policy + marks + last + " © example, inc. 2014"), Self.policy + marks + last)
    }

    func testARowOfLinksSeparatedByMiddleDotsIsTheFooter() {
        let page = "home | shop | help " + Self.policy + " photo sharing · browse photos · prints & gifts · terms · privacy · login"
        XCTAssertEqual(Self.extent(page), Self.policy)
    }

    func testAboutTheSiteAndCareersAreLinksOfTheFooter() {
        let about = "home | shop | help " + Self.policy + " subscribe and discover new music. follow example on company info "
            + "about example wholesale distribution artist programs"
        XCTAssertEqual(Self.extent(about), Self.policy)
        let careers = "home | shop | help " + Self.policy + " advertise with us careers about us press +1 (626) 793-7732 "
            + "example, inc. 61 south fair oaks avenue, pasadena, ca 91105"
        XCTAssertEqual(Self.extent(careers), Self.policy)
        // The site's name in the possessive is a sentence's, not a link.
        let more = " you can read more about example's products and our stores on the site."
        XCTAssertEqual(Self.extent("home | shop | help " + Self.policy + more + " © 2011 example"), Self.policy + more)
    }

    /// Words of the footer's links are words of prose as often: alone, with no other link near them
    /// and no shop's prices, they are the policy's ("questions about shop", a list set with "·",
    /// "our careers page", an address or a list that ends the page).
    func testTheFootersWordsInProseStayThePolicys() {
        let endings = [
            " if you have any questions about shop, please contact our customer service team by e-mail. © 2011 shop",
            " we use the information you send us through our careers page only to review your application for a job. © 2011 shop",
            " you can reach us in these ways: · by e-mail to the privacy team · by post to our office · by telephone during office hours. © 2011 shop",
            " to learn more about shopping safely online and protecting your privacy, read the consumer office's guides. © 2011 shop",
            " our address is: shop ltd. 10 high street london sw1a 2aa united kingdom",
            " information collected: name, postal address, telephone number, e-mail address, payment card details.",
        ]
        for ending in endings {
            let kept = ending.components(separatedBy: " © ").first ?? ending
            XCTAssertEqual(Self.extent("home | shop | help " + Self.policy + ending, site: "shop"), Self.policy + kept, ending)
        }
    }

    /// A long first sentence that runs on from the navigation is kept when it reads as prose all
    /// through, though no word a policy opens with starts it.
    func testALongFirstSentenceIsThePolicys() {
        let first = "your privacy matters to all of us, and the following statement, written for our valued customers, "
            + "describes what information is gathered about you when you visit the site and how it is used."
        let page = "home | shop | help " + first + " we collect your name and address when you place an order with us. "
            + "we use this information to ship your order and to tell you about the status of the order. "
            + "we do not sell or rent your personal information to third parties for their marketing. © 2011 shop"
        XCTAssertTrue(Self.extent(page, site: "shop").contains(first), Self.extent(page, site: "shop"))
    }

    func testTextThatIsNoSentenceAfterThePolicyIsTheFooter() {
        // No marker at all: products with their prices and links, to the page's end.
        let page = "home | shop | help " + Self.policy + " manufacturer keyword enter email canon eos digital rebel kit $699.00 buy "
            + "epson stylus photo printer $367.00 buy visit our showroom contact us policies & services f.a.q. rebates "
            + "customer testimonials review us company profile industry links privacy & security"
        XCTAssertEqual(Self.extent(page), Self.policy)
    }

    func testThePolicysContactDetailsStopTheFooter() {
        let contact = Self.policy + " you can contact us at: example 4043 n. ravenswood ave. #106 chicago, il 60613 privacy@example.com"
        let page = "home | shop | help " + contact + " update: dec 06, '07 update: new designs every monday! you know they'll love it! "
            + "catalog · stock chart · submit ideas · help · press © 2007 example"
        XCTAssertEqual(Self.extent(page), contact)
        // A country after the postcode, at the page's end, stays.
        XCTAssertEqual(Self.extent("home | shop | help " + contact + " usa"), contact + " usa")
    }

    func testAShortSentenceOfTheShopBeforeTheFootersWordsGoesWithThem() {
        let page = "home | shop | help " + Self.policy + " example is lovingly crafted in san francisco, ca. privacy policy terms of use © 2017 example"
        XCTAssertEqual(Self.extent(page), Self.policy)
    }

    func testWordsRunningIntoTheFooterWithNoSentenceEndAreTheFooters() {
        let page = "home | shop | help " + Self.policy + " you can view current and archived versions here: select a version "
            + "---------- current about our team sitemap job opportunities support help & docs"
        XCTAssertEqual(Self.extent(page), Self.policy)
        // Words a policy is about stay with it.
        let question = " questions about your personal information go to our privacy team"
        XCTAssertEqual(Self.extent("home | shop | help " + Self.policy + question + " sitemap jobs help"), Self.policy + question)
    }
}

extension FlatExtentTests {
    func testATitleBeforeALongSentenceIsThePolicysStart() {
        // The sentence after the date stamp runs past the hundred words the title's prose is
        // scored on: its words in them count.
        let long = "by visiting the example managed domains (including, but not limited to, www.example.com, www.example.net, "
            + "and www.example.org) and websites or domain name, or any other linked pages, features, content, or application "
            + "services offered from time to time by example in connection therewith (collectively, the \"website\"), "
            + "submitting information, or using any of our services, you acknowledge that you accept the practices and "
            + "policies outlined in this privacy policy (the \"privacy policy\")."
        let policy = "privacy policy last updated february 20, 2013. audio & video labs, inc. dba example (\"example\") knows "
            + "that you care about how your personal information is used and shared, and we take your privacy seriously. "
            + "please read the following to learn more about our privacy policy. " + long + " " + Self.policy
        let page = "cart my account sign in browse music sell your music top sellers staff picks genres blues classical "
            + "country folk jazz home > privacy policy " + policy + " © 2013 example"
        XCTAssertEqual(Self.extent(page), policy)
    }
}

extension FlatExtentTests {
    static let untitled = "we respect the privacy of our customers and we protect the information you give us. "
        + "we collect your name and address when you place an order with us on the site. "
        + "we use this information to ship your order and to tell you about the status of the order. "
        + "we do not sell or rent your personal information to third parties for their marketing. "
        + "if you have questions about this policy, please write to us and we will answer them."

    func testTheSitesNameBeforeANounOfAMenuOpensNoSentence() {
        // "example exclusives gifts for him …": a menu, not the site's name and its verb.
        let menu = "home | about us | help navigate by interest: gifts for moms example exclusives gifts for him gifts for her "
            + "gifts for kids gifts for dads gifts under $10 gifts under $20 stuff for students cool retro stuff! "
        XCTAssertEqual(Self.extent(menu + Self.untitled), Self.untitled)
        // "example respects your privacy.": the site's name and its verb open the policy.
        let first = "example respects your privacy and protects the information you give to it. "
        let runOn = "home | about us | help toys books games party store " + first
        XCTAssertEqual(Self.extent(runOn + Self.untitled), first + Self.untitled)
    }

    func testARunOnSentenceWithNoWordOpeningAPolicyIsTheNavigations() {
        let nav = "home | my account | help order tracking returning items about example etoys uk canadian services "
            + "product submissions affiliate program terms of use e-mail us if you would like to talk to us in person, "
            + "please call our customer service department at 1-800-555-0100. "
        XCTAssertEqual(Self.extent(nav + Self.untitled), Self.untitled)
    }
}

extension FlatExtentTests {
    func testLinksEndingInAQuestionAfterATitleAreNavigation() {
        // "> privacy and security" is the menu's link: the words after it are more links, one
        // ending in "?", then a marker.
        let nav = "check order status returns and exchanges web site use site map > privacy and security terms of use "
            + "technical help online accounts member benefits forgot your password? sign in create an account address book "
            + "how to reach us by phone: 800 901 9291 by email: "
        let first = "the site example.com (the \"site\") is owned and operated by example corporation. "
        XCTAssertEqual(Self.extent(nav + first + Self.untitled), first + Self.untitled)
    }
}

extension FlatExtentTests {
    func testAFirstSectionNumberOpensThePolicyRunningOnFromTheNavigation() {
        let policy = "1. protecting your privacy " + Self.untitled
        let page = "example > about > privacy policy privacy policy terms of use | feedback forum " + policy
        XCTAssertEqual(Self.extent(page), policy)
    }
}

extension FlatExtentTests {
    func testTheSitesNameAfterAPrepositionOpensNoSentence() {
        // A page with no navigation before the policy, whose long first sentence names the site
        // as the object of "through": the policy starts at the page's first word.
        let first = "if you buy our widgets and place your orders only through acmewidgets.com, or if you were sent to us "
            + "by one of our partners, any personal information that you give us is kept private. "
        XCTAssertEqual(Self.extent(first + Self.untitled, site: "acmewidgets"), first + Self.untitled)
    }
}

extension FlatExtentTests {
    func testADatedTitleAfterTheSitesSloganIsThePolicysStart() {
        // The slogan and a banner read as prose, but the title with its date stamp opens the policy.
        let policy = "privacy policy effective date: march 3, 2015 " + Self.untitled
        let page = "acmewidgets find amazing new widgets and directly support the makers who build them. search browse "
            + "sign up: maker · buyer · shop log in we're hiring in sales and customer support. " + policy
        XCTAssertEqual(Self.extent(page, site: "acmewidgets"), policy)
    }
}

extension FlatExtentTests {
    func testLinkTextsWithNoMarkerAtThePagesEndAreTheFooter() {
        let page = "home | shop | help " + Self.policy + " acmewidgets about pricing apps getting started developers "
            + "community forum widget exchange open source our team news blog contact brand and logo share on twitter "
            + "like on facebook"
        XCTAssertEqual(Self.extent(page, site: "acmewidgets"), Self.policy)
        // A last sentence without its full stop reads as prose: the policy's.
        let last = " for anything else please write to the privacy team at our office in london and we will answer you"
        XCTAssertEqual(Self.extent("home | shop | help " + Self.policy + last, site: "acmewidgets"), Self.policy + last)
    }
}

extension FlatExtentTests {
    func testTheLastEntryOfTheChangeLogIsThePolicys() {
        let log = " changes so far: may 1, 2014: first published. june 2, 2016: added crash reporting and analytics. "
            + "march 3, 2017: added eu and transfer sections."
        let page = "home | shop | help " + Self.policy + log + " © 2017 acmewidgets llc • privacy policy • contact"
        XCTAssertEqual(Self.extent(page, site: "acmewidgets"), Self.policy + log)
    }
}

extension FlatExtentTests {
    func testAConditionOpeningTheLastSentenceIsThePolicys() {
        // One function word only ("you"), but a sentence: "if you …, please …".
        let last = " if you have any questions or concerns, please submit feedback."
        let page = "home | shop | help " + Self.policy + last + " © acmewidgets. the widget shop that doesn't track you."
        XCTAssertEqual(Self.extent(page, site: "acmewidgets"), Self.policy + last)
    }
}

extension FlatExtentTests {
    func testAShortStatementBeforeTheFirstProseOpensThePolicy() {
        // "we don't sell your personal information." has one function word: no prose by itself.
        let policy = "we don't sell your personal information. " + Self.untitled
        XCTAssertEqual(Self.extent("acmewidgets find a widget! " + policy, site: "acmewidgets"), policy)
    }
}

extension FlatExtentTests {
    func testTheShopsHelpLineAfterThePolicysAddressIsTheFooter() {
        let contact = Self.policy + " you can reach us at: acmewidgets inc., 10 main street, springfield il 62701"
        let page = "home | shop | help " + contact + " need acmewidgets help? call us any time (800) 555-0100 (toll free) "
            + "about us investor relations careers terms"
        XCTAssertEqual(Self.extent(page, site: "acmewidgets"), contact)
        // The policy's own question stays.
        let question = " questions? call us at (800) 555-0100"
        XCTAssertEqual(Self.extent("home | shop | help " + contact + question + " about us careers terms", site: "acmewidgets"),
                       contact + question)
    }
}

extension FlatExtentTests {
    func testTheContactSectionEndingInAnAddressBeforeTheFooterIsThePolicys() {
        // No sentence end between the last section and the footer's markers: the address ends it.
        let last = " comments and questions if you have any questions about our privacy policy, you may contact us"
            + " through the contact us page or by postal mail at: de plaza mundo, contiguo a condominios ibiza, san jose, costa rica"
        let footer = " copyright © 2009-2010 acmewidgets. all rights reserved install acmewidgets | about | terms of use | sitemap"
        XCTAssertEqual(Self.extent("home | shop | help " + Self.policy + last + footer, site: "acmewidgets"), Self.policy + last)
        // The site's own words before its copyright line are not the policy's.
        let slogan = " this is a quiet place in cyberspace devoted to tolerance and scholarship contents of this site not otherwise copyrighted are"
        XCTAssertEqual(Self.extent("home | shop | help " + Self.policy + slogan + " © copyright 2010, acme, all rights reserved. | about | sitemap",
                                   site: "acmewidgets"), Self.policy)
    }

    func testAStatementOfTheReaderOrTheSiteBeforeTheFooterIsThePolicys() {
        let last = " you'll also find our phone number at the top of this page."
        let page = "home | shop | help " + Self.policy + last + " faq quality warranty newsletter signup copyright © 2009 acme leather company. all rights reserved."
        XCTAssertEqual(Self.extent(page), Self.policy + last)
        // An exclamation is the shop's, and so is a slogan.
        let shout = " you know they'll love it!"
        XCTAssertEqual(Self.extent("home | shop | help " + Self.policy + shout + " catalog · stock chart · about us"), Self.policy)
        XCTAssertEqual(Self.extent("home | shop | help " + Self.policy + " we ship worldwide. faq newsletter signup © 2009 acme."), Self.policy)
        XCTAssertEqual(Self.extent("home | shop | help " + Self.policy + " free shipping when you spend fifty dollars | faq | sitemap"), Self.policy)
    }
}

extension FlatExtentTests {
    func testAPrivacyPolicyLinkInAListOfPoliciesIsNoTitle() {
        // The page's title names no privacy policy; its list of the site's policies does, after
        // another policy's name.
        let opening = "no-logging of user activity policy we do not keep activity logs of any kind. learn more about"
            + " what this means and why we choose to operate this way. what this policy covers policy overview how we"
            + " handle payment information other data that we do handle "
        let list = "all of our policies regarding data and its storage no logging of user activity policy cookie policy"
            + " privacy policy (including gdpr) swedish legislation relevant to us as a vpn provider terms of service "
        let page = "acme what is a vpn? blog help servers policies about log in get account download app help guides policies and more "
            + opening + list + "policy overview " + Self.untitled
        let extent = Self.extent(page, site: "acme")
        XCTAssertTrue(extent.contains("we do not keep activity logs of any kind. learn more"), extent)
        XCTAssertTrue(extent.hasSuffix(Self.untitled.trimmingCharacters(in: .whitespaces)), extent)
    }
}

extension FlatExtentTests {
    func testATitleOfTheNavigationBeforeThePolicysOwnIsNoTitle() {
        // A breadcrumb ending in the title, then advertisement links, then the policy's title.
        let body = Self.policy.dropFirst("privacy policy ".count)
        let breadcrumb = "home : legal information : privacy policy advertisement customize advertisement customize "
        XCTAssertEqual(Self.extent(breadcrumb + "acme privacy policy " + body, site: "acme"), "privacy policy " + body)
        // A list of the site's policies: "privacy policy" before another policy's name.
        let list = "acme brands privacy highlights privacy policy cookie policy text messaging privacy contact "
        XCTAssertEqual(Self.extent(list + "privacy policy highlights " + body, site: "acme"), "privacy policy highlights " + body)
        // A version or a date between two titles belongs to the first.
        let versioned = "privacy policy statement version 1.0 (february 2, 2009) website privacy policy " + body
        XCTAssertEqual(Self.extent("any language, anywhere text translation in a single click! " + versioned, site: "acme"), versioned)
        // "this policy" after the title is the policy's first sentence, not another policy's name.
        let this = "privacy policy this policy applies to all information collected on the site. " + body
        XCTAssertEqual(Self.extent("acme faq ads log in " + this, site: "acme"), this)
    }

    func testAnEllipsisEndsALinkNotASentence() {
        let sitemap = " effective date: april 17, 2006 mini sitemap: post to journal upgrade lj gift shop downloads support & faqs"
            + " be a support volunteer feedback & contact us report abuse site news & updates more... (full sitemap) tour lj"
            + " | safety tips | terms of service | privacy policy | copyright | advertise | viewing options | create a free blog"
            + " / journal create an account post to journal explore gift shop interest region site & user faq email im info"
            + " username: create an account forgot your login? login w/ openid password: remember me english • español"
        let page = "home | shop | help " + Self.policy + sitemap
        XCTAssertEqual(Self.extent(page), Self.policy + " effective date: april 17, 2006")
    }

    func testALongRunOfLinkTextsAfterThePolicyIsASidebar() {
        let links = " community all latest create account feedback headline search press/publicity acme tv acme book acme travel"
            + " guide foobies forum sports forum showbiz forum geek forum politics forum photoshop forum acme chat acme parties"
            + " party forum acme on pda rss feed leaders top links top comments top submitters top sources advertise images"
            + " banners classifieds media friends link to us hosted by acme's sponsors classifieds: (from $40) come see the best"
            + " optical illusion in the world 20 comments another day, another funding veto."
        let ads = " now it is time to answer the hard question 4 comments come visit my humor blog. the jokes are funny."
        XCTAssertEqual(Self.extent("home | shop | help " + Self.policy + links + ads), Self.policy)
        // A long list with no punctuation is the policy's when the policy goes on after it.
        let more = " we may share your information with these companies of our family: acme tv acme book acme travel"
            + " guide foobies sports showbiz geek politics photoshop acme chat acme parties acme pda rss feeds leaders"
            + " top links top comments top submitters top sources advertise images banners classifieds media friends."
        XCTAssertEqual(Self.extent("home | shop | help " + Self.policy + more + " " + Self.policy), Self.policy + more + " " + Self.policy)
        // Such a list first, the sidebar after the policy still goes.
        let family = " the companies of our family of sites are these. acme tv acme book acme travel guide foobies sports showbiz"
            + " geek politics photoshop acme chat acme parties acme pda rss feeds leaders top links top comments top submitters"
            + " top sources advertise images banners classifieds media friends blender radio maxim rolling stone stuff."
        let body = Self.policy + " " + Self.policy + family + " " + Self.policy
        XCTAssertEqual(Self.extent("home | shop | help " + body + links + ads), body)
        // A policy that ends with a long list keeps it: its commas, and nothing after it to judge.
        let list = " categories: identifiers such as name, alias, postal address, online identifier, internet protocol address,"
            + " email address, account name, social security number, driver's license number, passport number, signature,"
            + " physical characteristics, telephone number, insurance policy number, education, employment, bank account number,"
            + " credit card number, debit card number, medical information, health insurance information, commercial information,"
            + " records of personal property, products or services purchased."
        XCTAssertEqual(Self.extent("home | shop | help " + Self.policy + " " + Self.policy + list), Self.policy + " " + Self.policy + list)
    }
}
