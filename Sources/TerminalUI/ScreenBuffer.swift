/// One terminal cell: a grapheme (empty for the right half of a wide one) and its style.
public struct Cell: Sendable, Hashable {
    public var grapheme: String
    public var style: Style
    public init(_ grapheme: String = " ", _ style: Style = .normal) {
        self.grapheme = grapheme
        self.style = style
    }
}

/// A frame: a grid of cells that views draw into and backends copy to the terminal.
public struct ScreenBuffer: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the backend should leave the cursor (nil: hidden).
    public var cursor: (x: Int, y: Int)?

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    public static func == (a: ScreenBuffer, b: ScreenBuffer) -> Bool {
        a.width == b.width && a.height == b.height && a.cells == b.cells
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { if x >= 0, y >= 0, x < width, y < height { cells[y * width + x] = newValue } }
    }

    /// Writes `text` at (x, y), clipped at `maxX` (exclusive, default the right edge).
    /// Returns the column after the last one written. Wide characters never straddle the clip.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .normal, maxX: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let limit = min(maxX ?? width, width)
        var col = x
        for raw in text {
            let c = TextWidth.sanitise(raw)
            let w = TextWidth.columns(c)
            if w == 0 {
                // A combining mark joins the previous cell.
                if col > 0, col - 1 < limit, col - 1 >= 0 { self[col - 1, y].grapheme += String(c) }
                continue
            }
            if col + w > limit { break }
            if col >= 0 {
                self[col, y] = Cell(String(c), style)
                if w == 2 { self[col + 1, y] = Cell("", style) }
            }
            col += w
        }
        return col
    }

    /// Fills a rectangle with spaces of `style`.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: Style = .normal) {
        for row in max(0, y)..<min(height, y + h) {
            for col in max(0, x)..<min(width, x + w) { self[col, row] = Cell(" ", style) }
        }
    }

    /// Applies `style` to existing cells of a rectangle (keeps their text).
    public mutating func restyle(x: Int, y: Int, width w: Int, style: Style) {
        guard y >= 0, y < height else { return }
        for col in max(0, x)..<min(width, x + w) { self[col, y].style = style }
    }

    /// A box with a title in its top border.
    public mutating func box(x: Int, y: Int, width w: Int, height h: Int, title: String = "", focused: Bool = false,
                             ascii: Bool = false) {
        guard w >= 2, h >= 2 else { return }
        let style = Style(focused ? .borderFocused : .border, focused ? [.bold] : [])
        let (hz, vt, tl, tr, bl, br) = ascii ? ("-", "|", "+", "+", "+", "+") : ("─", "│", "┌", "┐", "└", "┘")
        put(tl + String(repeating: hz, count: w - 2) + tr, x: x, y: y, style: style)
        for row in (y + 1)..<(y + h - 1) {
            put(vt, x: x, y: row, style: style)
            put(vt, x: x + w - 1, y: row, style: style)
        }
        put(bl + String(repeating: hz, count: w - 2) + br, x: x, y: y + h - 1, style: style)
        if !title.isEmpty, w > 4 {
            put(" " + TextWidth.truncate(title, to: w - 4) + " ", x: x + 1, y: y, style: Style(focused ? .borderFocused : .title, [.bold]),
                maxX: x + w - 1)
        }
    }

    /// The text of each row, trailing spaces removed (for tests and golden files).
    public var lines: [String] {
        (0..<height).map { y in
            var s = ""
            for x in 0..<width { s += self[x, y].grapheme }
            while s.last == " " { s.removeLast() }
            return s
        }
    }

    /// Rows whose cells differ from `previous` (all rows when the size changed).
    public func changedRows(since previous: ScreenBuffer?) -> [Int] {
        guard let previous, previous.width == width, previous.height == height else { return Array(0..<height) }
        return (0..<height).filter { y in
            let range = (y * width)..<((y + 1) * width)
            return cells[range] != previous.cells[range]
        }
    }
}
