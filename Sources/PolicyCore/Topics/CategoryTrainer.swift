import Foundation

/// Learns a `CategoryModel` from labelled segments (OPP-115's, and the bundled policies' gold
/// clauses), and measures one by policy-level cross-validation. The same code produced the shipped
/// weights (`scripts/train-categories`) and trains in the test's folds, so what is measured is what ships.
///
/// First stage: per category, a logistic regression over the segment's features, its errors
/// weighted so the category's few positives count as much as its many negatives, fitted by AdaGrad
/// in a fixed, seeded order (deterministic). Each category's threshold is then chosen on the
/// training policies alone: models trained on some of them score the others, and the threshold
/// that gives the best F1 over those out-of-fold scores is kept. Second stage: per category, a
/// logistic regression over the out-of-fold margins (score minus threshold) of the segment and of
/// the segments before and after it, for that category, with its own threshold.
public struct CategoryTrainer: Sendable {
    /// One labelled segment: its text, the title it sits under, the sentence introducing its list.
    public struct Sample: Sendable {
        public var group: String
        public var text: String
        public var title: String
        public var leadIn: String?
        /// Bit `PrivacyCategory.ordinal`.
        public var labels: UInt16
        /// How much the sample counts in training.
        public var weight = 1.0
    }

    public var epochs = 12
    public var rate = 0.1
    public var l2 = 0.3
    /// Features seen in fewer training segments than this are left out.
    public var minimumCount = 2
    /// Folds of the training policies used to choose thresholds.
    public var thresholdFolds = 3
    /// Whether a second stage reads the neighbouring segments' first-stage margins, and how it learns.
    public var context = true
    public var contextEpochs = 10
    public var contextRate = 0.1
    public var contextL2 = 0.001

    public init() {}

    // MARK: Reading OPP-115

    /// Segments of the OPP-115 JSON-lines file (`{"policy","segment","text","categories"}`). A
    /// segment's first line is its title when the segment has more lines and the first is short (as
    /// OPP-115's segments start with their heading), and a segment without one takes its policy's
    /// last heading (as a Redline clause has its section's title); a segment starting with a list marker takes the
    /// last sentence of the policy's previous non-list segment as its lead-in when that one ends in ":".
    public static func readOPP115(_ text: String) throws -> [Sample] {
        let names: [String: PrivacyCategory] = [
            "First Party Collection/Use": .firstParty, "Third Party Sharing/Collection": .thirdParty,
            "User Choice/Control": .choice, "User Access, Edit and Deletion": .access, "Data Retention": .retention,
            "Data Security": .security, "Policy Change": .change, "Do Not Track": .dnt,
            "International and Specific Audiences": .audiences, "Other": .other,
        ]
        var out: [Sample] = []
        var lastPolicy = "", lastLead: String?, lastTitle = ""
        for row in try rows(text) {
            var labels: UInt16 = 0
            for name in row.categories {
                guard let c = names[name] else { throw CocoaError(.coderInvalidValue, userInfo: [NSDebugDescriptionErrorKey: "unknown category \(name)"]) }
                labels |= 1 << c.ordinal
            }
            if row.policy != lastPolicy { (lastPolicy, lastLead, lastTitle) = (row.policy, nil, "") }
            var (title, body) = splitTitle(row.text)
            if title.isEmpty { title = lastTitle } else { lastTitle = title }
            let isItem = body.hasPrefix("- ") || body.hasPrefix("• ")
            out.append(Sample(group: row.policy, text: body, title: title, leadIn: isItem ? lastLead : nil, labels: labels))
            if !isItem {
                lastLead = CategoryClassifier.introducesList(body) ? CategoryClassifier.lastSentence(body.trimmedSpaces) : nil
            }
        }
        return out
    }

    /// A line of the OPP-115 JSON-lines file.
    struct Row: Decodable { var policy: String; var segment: Int; var text: String; var categories: [String] }

    static func rows(_ text: String) throws -> [Row] {
        let decoder = JSONDecoder()
        return try text.split(separator: "\n").filter { !$0.isEmpty }.map { try decoder.decode(Row.self, from: Data($0.utf8)) }
    }

    /// Each OPP-115 policy as a Wayback Markdown extract, one paragraph per segment (a segment's lines
    /// joined by spaces), parsed as `redline topics` parses a policy file; with its segments' texts.
    public static func markdownPolicies(_ text: String) throws -> [(policy: String, document: PolicyDocument, segments: [String])] {
        var order: [String] = [], segments: [String: [String]] = [:]
        for row in try rows(text) {
            if segments[row.policy] == nil { order.append(row.policy) }
            segments[row.policy, default: []].append(row.text)
        }
        return try order.map { policy in
            let site = policy.split(separator: "_", maxSplits: 1).last.map(String.init) ?? policy
            let texts = segments[policy] ?? []
            let markdown = "> *The following text is extracted and transformed from the \(site) privacy policy that was archived on 2016-01-01.*\n\n"
                + texts.map { $0.split(whereSeparator: \.isNewline).joined(separator: " ") }.joined(separator: "\n\n") + "\n"
            let document = try MarkdownPolicyParser().parse(markdown, path: site + ".md")
            return (policy, document, texts)
        }
    }

    /// The hand-labelled clauses of Redline's bundled policies (`categories-gold.tsv`: version id,
    /// `section path#clause index`, categories), with their titles and lead-ins as `classify` reads
    /// them, in reading order; each counts `weight` times in training. Their group is their document.
    public static func readGold(_ tsv: String, documents: [PolicyDocument], weight: Double) throws -> [Sample] {
        var gold: [String: UInt16] = [:]
        for line in tsv.split(separator: "\n") where !line.hasPrefix("#") {
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard cols.count == 4 else { throw CocoaError(.coderInvalidValue, userInfo: [NSDebugDescriptionErrorKey: "bad gold line \(line)"]) }
            var labels: UInt16 = 0
            for name in cols[2].split(separator: ",") {
                guard let c = PrivacyCategory(rawValue: String(name)) else {
                    throw CocoaError(.coderInvalidValue, userInfo: [NSDebugDescriptionErrorKey: "unknown category \(name)"])
                }
                labels |= 1 << c.ordinal
            }
            gold["\(cols[0]) \(cols[1])"] = labels
        }
        var out: [Sample] = []
        for doc in documents {
            for section in doc.allSections {
                var leadIn: String?
                for (index, clause) in section.clauses.enumerated() {
                    if let labels = gold.removeValue(forKey: "\(doc.id) \(section.path)#\(index)") {
                        out.append(Sample(group: "gold " + doc.id, text: clause.text, title: section.namedTitle,
                                          leadIn: clause.kind == .listItem ? leadIn : nil, labels: labels, weight: weight))
                    }
                    if clause.kind != .listItem {
                        leadIn = CategoryClassifier.introducesList(clause.text) ? CategoryClassifier.lastSentence(clause.text.trimmedSpaces) : nil
                    }
                }
            }
        }
        guard gold.isEmpty else {
            throw CocoaError(.coderInvalidValue, userInfo: [NSDebugDescriptionErrorKey: "gold clauses not found: \(gold.keys.sorted().prefix(3))"])
        }
        return out
    }

    /// A segment's heading and body: the first line is a heading when more lines follow and it is
    /// at most 12 words.
    static func splitTitle(_ text: String) -> (String, String) {
        guard let newline = text.firstIndex(of: "\n") else { return ("", text) }
        let first = String(text[..<newline]).trimmedSpaces
        let rest = String(text[text.index(after: newline)...])
        guard !first.isEmpty, Tokenizer.words(first).count <= 12, !rest.trimmedSpaces.isEmpty else { return ("", text) }
        return (first, rest)
    }

    // MARK: Features

    /// A sample as the learner sees it: vocabulary ids of its word, pair and title features, and
    /// the lexicon features' values.
    struct Encoded {
        var ids: [Int32]
        /// How many of `ids` are the text's (the rest are the title's); their weights count `scale` times.
        var textCount: Int
        var scale: Double
        var lexicon: [Double]
        var labels: UInt16
        var weight: Double
    }

    /// A sample's features by name (before a vocabulary exists), and its lexicon values.
    struct Raw {
        /// The text's features, then the title's.
        var names: [String]
        var textCount: Int
        var lexicon: [Double]
        var labels: UInt16
        var weight = 1.0
        var scale: Double { CategoryFeatures.scale(textCount) }
    }

    static func raw(_ s: Sample, classifier: CategoryClassifier) -> Raw {
        let text = CategoryFeatures.textFeatures(s.text, names: true).compactMap(\.name)
        let names = text + CategoryFeatures.titleFeatures(s.title, names: true).compactMap(\.name)
        return Raw(names: names, textCount: text.count, lexicon: lexiconValues(text: s.text, title: s.title, leadIn: s.leadIn, classifier: classifier),
                   labels: s.labels, weight: s.weight)
    }

    /// The lexicon features of a clause, as `CategoryClassifier` computes them at run time.
    static func lexiconValues(text: String, title: String, leadIn: String?, classifier: CategoryClassifier) -> [Double] {
        let n = CategoryModel.count
        var out = [Double](repeating: 0, count: 4 * n)
        let t = classifier.tally(text, evidence: false)
        let named = classifier.categoriesNamed(by: title)
        let lead = leadIn.map { classifier.tally($0, evidence: true) }
        for c in 0..<n {
            out[c] = CategoryFeatures.lexiconValue(t.score[c])
            out[n + c] = CategoryFeatures.lexiconValue(named[PrivacyCategory.byOrdinal[c]]?.0 ?? 0)
            out[2 * n + c] = CategoryFeatures.lexiconValue(lead?.score[c] ?? 0)
        }
        for label in classifier.lexiconLabels(t, named: named, lead: lead, headers: []) { out[3 * n + label.category.ordinal] = 1 }
        return out
    }

    // MARK: Learning

    /// A model learned from `samples`, thresholds chosen on them by inner folds.
    public func train(_ samples: [Sample], classifier: CategoryClassifier = .shared) -> CategoryModel {
        let raws = samples.map { Self.raw($0, classifier: classifier) }
        return train(raws, groups: samples.map(\.group))
    }

    func train(_ raws: [Raw], groups: [String]) -> CategoryModel {
        let n = CategoryModel.count
        // Thresholds: out-of-fold scores over the training policies.
        let folds = Self.folds(groups, count: thresholdFolds)
        var scores = [[Double]](repeating: [], count: raws.count)
        for fold in 0..<thresholdFolds {
            let inside = raws.indices.filter { folds[$0] != fold }, outside = raws.indices.filter { folds[$0] == fold }
            let fitted = fit(inside.map { raws[$0] })
            for i in outside { scores[i] = fitted.score(raws[i]) }
        }
        var threshold = [Double](repeating: 0, count: n)
        for c in 0..<n {
            threshold[c] = Self.bestThreshold(scores.map { $0[c] }, raws.map { $0.labels & (1 << c) != 0 })
        }
        let model = fit(raws).model(threshold: threshold)
        guard context else { return model }
        // The second stage: over the out-of-fold margins of each segment and of its neighbours.
        let rounded = threshold
        let margins = scores.map { s in (0..<n).map { CategoryModel.clippedMargin(s[$0] - rounded[$0]) } }
        let inputs = CategoryModel.contextInputs(margins, same: Self.sameGroupAsPrevious(groups))
        let (weights, contextThreshold) = fitContext(inputs, raws.map(\.labels))
        model.context = weights
        model.contextThreshold = contextThreshold
        return model
    }

    /// Whether each sample continues the previous one's group (policy).
    static func sameGroupAsPrevious(_ groups: [String]) -> [Bool] {
        groups.indices.map { $0 > 0 && groups[$0 - 1] == groups[$0] }
    }

    /// Per category, a logistic regression over the context inputs (`CategoryModel.contextInputs`),
    /// its errors weighted as the first stage's; and its threshold for the best F1 over them.
    func fitContext(_ inputs: [[Double]], _ labels: [UInt16]) -> (weights: [Double], threshold: [Double]) {
        let n = CategoryModel.count, m = CategoryModel.contextWidth
        var w = [Double](repeating: 0, count: (m + 1) * n), g2 = [Double](repeating: 1e-8, count: (m + 1) * n)
        var positive = [Double](repeating: 0, count: n)
        for y in labels { for c in 0..<n where y & (1 << c) != 0 { positive[c] += 1 } }
        let total = Double(max(1, labels.count))
        let wPos = positive.map { 0.5 * total / max($0, 1) }, wNeg = positive.map { 0.5 * total / max(total - $0, 1) }
        var order = Array(inputs.indices)
        var rng = SplitMix(seed: 0xc0de)
        for _ in 0..<contextEpochs {
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            for j in order {
                let x = inputs[j]
                for c in 0..<n {
                    var s = w[c]
                    for k in 0..<m where x[k] != 0 && (k >= 3 * n || k % n == c) { s += x[k] * w[(k + 1) * n + c] }
                    let y = labels[j] & (1 << c) != 0
                    let g = (1 / (1 + exp(-s)) - (y ? 1 : 0)) * (y ? wPos[c] : wNeg[c])
                    for k in -1..<m {
                        let v = k < 0 ? 1 : x[k]
                        guard v != 0, k < 0 || k >= 3 * n || k % n == c else { continue }
                        let at = (k + 1) * n + c
                        let d = g * v + (k < 0 ? 0 : contextL2 * w[at])
                        g2[at] += d * d
                        w[at] -= contextRate * d / g2[at].squareRoot()
                    }
                }
            }
        }
        w = w.map(Self.rounded)
        var threshold = [Double](repeating: 0, count: n)
        for c in 0..<n {
            let scores = inputs.map { x in (0..<m).reduce(w[c]) { $0 + x[$1] * w[($1 + 1) * n + c] } }
            threshold[c] = Self.bestThreshold(scores, labels.map { $0 & (1 << c) != 0 })
        }
        return (w, threshold)
    }

    /// The threshold over `scores` with the best F1 for `truth`: the mean of the thresholds (steps
    /// of 0.1) within 0.01 of the best F1, the middle of the plateau rather than its edge.
    static func bestThreshold(_ scores: [Double], _ truth: [Bool]) -> Double {
        var best = (f1: -1.0, t: 0.0)
        var t = -4.0
        var curve: [(t: Double, f1: Double)] = []
        while t <= 4.0 {
            var tp = 0, fp = 0, fn = 0
            for (s, y) in zip(scores, truth) {
                switch (s >= t, y) {
                case (true, true): tp += 1
                case (true, false): fp += 1
                case (false, true): fn += 1
                default: break
                }
            }
            let f1 = tp == 0 ? 0 : 2 * Double(tp) / Double(2 * tp + fp + fn)
            if f1 > best.f1 + 1e-9 { best = (f1, t) }
            curve.append((t: t, f1: f1))
            t += 0.1
        }
        let near = curve.filter { $0.f1 >= best.f1 - 0.01 }
        return ((near.map(\.t).reduce(0, +) / Double(near.count)) * 10).rounded() / 10
    }

    /// Fold of each sample: its group's position among the distinct groups (sorted), modulo `count`.
    static func folds(_ groups: [String], count: Int) -> [Int] {
        let order = Dictionary(uniqueKeysWithValues: Set(groups).sorted().enumerated().map { ($1, $0) })
        return groups.map { order[$0]! % count }
    }

    /// Weights being learned.
    struct Fitted {
        var names: [String]
        var weights: [Double]   // names.count × n
        var lexicon: [Double]   // 3n × n
        var bias: [Double]
        var vocabulary: [String: Int32]

        func score(_ raw: Raw) -> [Double] {
            let n = CategoryModel.count
            var s = bias
            let scale = raw.scale
            for (k, name) in raw.names.enumerated() {
                guard let id = vocabulary[name] else { continue }
                let v = k < raw.textCount ? scale : 1
                for c in 0..<n { s[c] += v * weights[Int(id) * n + c] }
            }
            for (row, v) in raw.lexicon.enumerated() where v != 0 {
                for c in 0..<n { s[c] += v * lexicon[row * n + c] }
            }
            return s
        }

        func model(threshold: [Double]) -> CategoryModel {
            let n = CategoryModel.count
            var index: [UInt64: Int32] = [:], kept: [Float] = [], keptNames: [String] = []
            for (i, name) in names.enumerated() {
                let row = weights[(i * n)..<((i + 1) * n)]
                guard row.contains(where: { abs($0) >= CategoryTrainer.smallest }) else { continue }
                index[CategoryModel.key(of: Substring(name))] = Int32(kept.count)
                kept.append(contentsOf: row.map { Float(CategoryTrainer.rounded($0)) })
                keptNames.append(name)
            }
            return CategoryModel(index: index, weights: kept, names: keptNames, lexicon: lexicon.map(CategoryTrainer.rounded),
                                 bias: bias.map(CategoryTrainer.rounded), threshold: threshold)
        }
    }

    /// Weights below this are dropped from a model; weights are kept to three decimals.
    static let smallest = 0.01
    static func rounded(_ w: Double) -> Double { (w * 1000).rounded() / 1000 }

    func fit(_ raws: [Raw]) -> Fitted {
        let n = CategoryModel.count
        var counts: [String: Int] = [:]
        for r in raws { for name in r.names { counts[name, default: 0] += 1 } }
        let names = counts.filter { $0.value >= minimumCount }.keys.sorted()
        let vocabulary = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Int32($0)) })
        let encoded = raws.map { r in
            let text = r.names[..<r.textCount].compactMap { vocabulary[$0] }
            return Encoded(ids: text + r.names[r.textCount...].compactMap { vocabulary[$0] }, textCount: text.count, scale: r.scale,
                           lexicon: r.lexicon, labels: r.labels, weight: r.weight)
        }
        let lexRows = CategoryFeatures.lexiconNames.count
        var w = [Double](repeating: 0, count: names.count * n), gw = [Double](repeating: 1e-8, count: names.count * n)
        var lw = [Double](repeating: 0, count: lexRows * n), glw = [Double](repeating: 1e-8, count: lexRows * n)
        var b = [Double](repeating: 0, count: n), gb = [Double](repeating: 1e-8, count: n)
        // Class weights: positives and negatives of each category weigh half the total each.
        var positive = [Double](repeating: 0, count: n)
        for e in encoded { for c in 0..<n where e.labels & (1 << c) != 0 { positive[c] += e.weight } }
        let total = max(1, encoded.reduce(0) { $0 + $1.weight })
        let wPos = positive.map { 0.5 * total / max($0, 1) }, wNeg = positive.map { 0.5 * total / max(total - $0, 1) }
        var order = Array(encoded.indices)
        var rng = SplitMix(seed: 0x5eed)
        var s = [Double](repeating: 0, count: n), g = [Double](repeating: 0, count: n)
        for _ in 0..<epochs {
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            for j in order {
                let e = encoded[j]
                for c in 0..<n { s[c] = b[c] }
                for (k, id) in e.ids.enumerated() {
                    let base = Int(id) * n, v = k < e.textCount ? e.scale : 1
                    for c in 0..<n { s[c] += v * w[base + c] }
                }
                for (row, v) in e.lexicon.enumerated() where v != 0 { for c in 0..<n { s[c] += v * lw[row * n + c] } }
                for c in 0..<n {
                    let y = e.labels & (1 << c) != 0
                    let p = 1 / (1 + exp(-s[c]))
                    g[c] = (p - (y ? 1 : 0)) * (y ? wPos[c] : wNeg[c]) * e.weight
                    gb[c] += g[c] * g[c]
                    b[c] -= rate * g[c] / gb[c].squareRoot()
                }
                for (k, id) in e.ids.enumerated() {
                    let base = Int(id) * n, v = k < e.textCount ? e.scale : 1
                    for c in 0..<n {
                        let d = g[c] * v + l2 * w[base + c]
                        gw[base + c] += d * d
                        w[base + c] -= rate * d / gw[base + c].squareRoot()
                    }
                }
                for (row, v) in e.lexicon.enumerated() where v != 0 {
                    for c in 0..<n {
                        let d = g[c] * v + l2 * lw[row * n + c]
                        glw[row * n + c] += d * d
                        lw[row * n + c] -= rate * d / glw[row * n + c].squareRoot()
                    }
                }
            }
        }
        return Fitted(names: names, weights: w, lexicon: lw, bias: b, vocabulary: vocabulary)
    }

    // MARK: Writing

    /// The model as the weights text `CategoryModel(text:)` reads.
    public static func serialized(_ model: CategoryModel) -> String {
        let n = CategoryModel.count
        func row(_ values: some Sequence<Double>) -> String {
            values.map { v in v == 0 ? "0" : String(rounded(v)) }.joined(separator: " ")
        }
        var lines = ["#bias\t" + row(model.bias), "#threshold\t" + row(model.threshold)]
        if let context = model.context, let threshold = model.contextThreshold {
            lines.append("#context-threshold\t" + row(threshold))
            for (r, name) in CategoryModel.contextNames.enumerated() { lines.append(name + "\t" + row(context[(r * n)..<((r + 1) * n)])) }
        }
        for (r, name) in CategoryFeatures.lexiconNames.enumerated() { lines.append(name + "\t" + row(model.lexicon[(r * n)..<((r + 1) * n)])) }
        for (i, name) in model.names.enumerated() {
            lines.append(name + "\t" + row(model.weights[(i * n)..<((i + 1) * n)].map { Double($0) }))
        }
        return lines.joined(separator: "\n")
    }
}

/// Precision, recall and F1 per category, over a set of labelled segments.
public struct CategoryScores: Sendable {
    public var tp = [Int](repeating: 0, count: CategoryModel.count)
    public var fp = [Int](repeating: 0, count: CategoryModel.count)
    public var fn = [Int](repeating: 0, count: CategoryModel.count)
    public var segments = 0

    public init() {}

    mutating func add(truth: UInt16, predicted: UInt16) {
        segments += 1
        for c in 0..<CategoryModel.count {
            switch (truth & (1 << c) != 0, predicted & (1 << c) != 0) {
            case (true, true): tp[c] += 1
            case (false, true): fp[c] += 1
            case (true, false): fn[c] += 1
            default: break
            }
        }
    }

    public func precision(_ c: Int) -> Double { tp[c] + fp[c] == 0 ? 1 : Double(tp[c]) / Double(tp[c] + fp[c]) }
    public func recall(_ c: Int) -> Double { tp[c] + fn[c] == 0 ? 1 : Double(tp[c]) / Double(tp[c] + fn[c]) }
    public func f1(_ c: Int) -> Double { tp[c] == 0 ? 0 : 2 * Double(tp[c]) / Double(2 * tp[c] + fp[c] + fn[c]) }
    public func f1(_ c: PrivacyCategory) -> Double { f1(c.ordinal) }
    public var macroF1: Double { (0..<CategoryModel.count).map(f1).reduce(0, +) / Double(CategoryModel.count) }
    public var microF1: Double {
        let t = tp.reduce(0, +), p = fp.reduce(0, +), n = fn.reduce(0, +)
        return t == 0 ? 0 : 2 * Double(t) / Double(2 * t + p + n)
    }

    /// A table: per category P, R, F1 and counts; then macro and micro F1.
    public var report: String {
        var out = "category        precision recall  F1     (tp/fp/fn)\n"
        for c in PrivacyCategory.allCases {
            let k = c.ordinal
            out += c.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)
                + String(format: " %6.3f   %6.3f  %6.3f (%d/%d/%d)\n", precision(k), recall(k), f1(k), tp[k], fp[k], fn[k])
        }
        out += String(format: "macro-F1 %.3f  micro-F1 %.3f  over %d segments\n", macroF1, microF1, segments)
        return out
    }
}

extension CategoryTrainer {
    /// Scores the lexicon alone (no learned weights) on `samples`.
    public static func lexiconScores(_ samples: [Sample], classifier: CategoryClassifier = .shared) -> CategoryScores {
        var scores = CategoryScores()
        for s in samples {
            let labels = classifier.lexiconLabels(text: s.text, title: s.title, leadIn: s.leadIn)
            scores.add(truth: s.labels, predicted: labels.reduce(0) { $0 | 1 << $1.category.ordinal })
        }
        return scores
    }

    /// Scores by policy-level cross-validation: policies in `folds` groups; each group is labelled
    /// by a model trained (thresholds and second stage included) on the others only, with `extra`
    /// (the bundled gold clauses) added to every training set and never scored. `shipped` scores
    /// the labels Redline gives (the second stage's), `firstStage` each segment's own score's.
    /// With `parsed` policies, the same fold models also score them end to end (`endToEnd`): each
    /// parsed from Markdown (`markdownPolicies`) and labelled by `CategoryClassifier.classify`, as
    /// `redline topics` labels a policy file. A segment's labels are those of its clauses (one, or
    /// more when the parser splits its paragraph, as a table); a segment no clause comes from (a
    /// short one read as a heading) has none: `withoutClause` counts them.
    public func crossValidate(_ samples: [Sample], alsoTraining extra: [Sample] = [], folds count: Int = 5,
                              parsed policies: [(policy: String, document: PolicyDocument, segments: [String])] = [],
                              classifier: CategoryClassifier = .shared)
        -> (shipped: CategoryScores, firstStage: CategoryScores, endToEnd: CategoryScores, withoutClause: Int) {
        let raws = samples.map { Self.raw($0, classifier: classifier) }
        let groups = samples.map(\.group)
        let extraRaws = extra.map { Self.raw($0, classifier: classifier) }
        let folds = Self.folds(groups, count: count)
        var truth: [String: [UInt16]] = [:]
        for s in samples { truth[s.group, default: []].append(s.labels) }
        let foldOf = Dictionary(zip(groups, folds), uniquingKeysWith: { a, _ in a })
        var shipped = CategoryScores(), first = CategoryScores(), endToEnd = CategoryScores(), withoutClause = 0
        for fold in 0..<count {
            let inside = raws.indices.filter { folds[$0] != fold }
            let model = train(inside.map { raws[$0] } + extraRaws, groups: inside.map { groups[$0] } + extra.map(\.group))
            let outside = raws.indices.filter { folds[$0] == fold }
            let scores = outside.map { model.score(raws[$0]) }
            let decisions = model.decideAll(scores, same: Self.sameGroupAsPrevious(outside.map { groups[$0] }))
            for (k, i) in outside.enumerated() {
                shipped.add(truth: raws[i].labels, predicted: decisions[k].categories)
                first.add(truth: raws[i].labels, predicted: model.decide(scores[k]))
            }
            var labeller = classifier
            labeller.model = model
            for (policy, document, segments) in policies where foldOf[policy] == fold {
                let expected = truth[policy] ?? []
                var predicted = [UInt16](repeating: 0, count: expected.count)
                var found = [Bool](repeating: false, count: expected.count)
                let segmentOf = Self.segments(of: document, in: segments)
                for (k, topics) in labeller.classify(document, evidence: false).enumerated() {
                    guard let segment = segmentOf[k], segment < predicted.count else { continue }
                    predicted[segment] |= topics.categories.reduce(0) { $0 | 1 << $1.ordinal }
                    found[segment] = true
                }
                for (t, p) in zip(expected, predicted) { endToEnd.add(truth: t, predicted: p) }
                withoutClause += found.filter { !$0 }.count
            }
        }
        return (shipped, first, endToEnd, withoutClause)
    }

    /// For each clause of `document` in reading order, the index of the segment its text comes from
    /// (letters and digits compared): the rest of the last clause's segment, else the first later
    /// segment holding its start; nil when none does.
    static func segments(of document: PolicyDocument, in segments: [String]) -> [Int?] {
        func key(_ s: String) -> String { String(String.UnicodeScalarView(s.lowercased().unicodeScalars.filter(CharacterSet.alphanumerics.contains))) }
        let keys = segments.map(key)
        var last = -1, rest = Substring()
        return document.allSections.flatMap(\.clauses).map { clause in
            let start = String(key(clause.text).prefix(40))
            guard !start.isEmpty else { return nil }
            if let found = rest.range(of: start) {
                rest = rest[found.upperBound...]
                return last
            }
            guard let k = keys[(last + 1)...].firstIndex(where: { $0.contains(start) }) else { return nil }
            last = k
            rest = keys[k][keys[k].range(of: start)!.upperBound...]
            return k
        }
    }
}

/// A small seeded random number generator (SplitMix64), so training is the same on every machine.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
