import TerminalUI

/// The frame shown while a corpus is read for the first time (parsing thousands of policies takes
/// a while; later starts read the document cache and never show it): what is being read, how far
/// along, and how to leave.
public enum LoadingView {
    public static func render(width: Int, height: Int, source: String, done: Int, total: Int,
                              unicode: Bool = true) -> ScreenBuffer {
        var buf = ScreenBuffer(width: width, height: height)
        guard width >= 10, height >= 3 else {
            buf.put("reading…", x: 0, y: 0)
            return buf
        }
        let inner = max(1, min(width - 4, 72))
        let x = max(0, (width - inner) / 2)
        var y = max(0, height / 2 - 3)
        buf.put("redline", x: x, y: y, style: Style(.title, .bold))
        y += 2
        let what = total > 0 ? "Reading \(group(done)) of \(group(total)) policies" : "Listing policies"
        buf.put(what, x: x, y: y, maxX: x + inner)
        y += 1
        buf.put(TextWidth.truncate(source, to: inner), x: x, y: y, style: Style(.dim))
        y += 2
        if total > 0 {
            let share = Double(min(done, total)) / Double(total)
            let label = " \(Int(share * 100))%"
            let barWidth = max(1, inner - TextWidth.columns(label))
            let filled = Int(Double(barWidth) * share)
            buf.put(String(repeating: unicode ? "█" : "#", count: filled), x: x, y: y, style: Style(.bar))
            buf.put(String(repeating: unicode ? "·" : ".", count: barWidth - filled), x: x + filled, y: y, style: Style(.dim))
            buf.put(label, x: x + barWidth, y: y)
            y += 2
        }
        buf.put("The first time only: later starts read the cache.", x: x, y: y,
                style: Style(.dim), maxX: x + inner)
        if height > y + 2 { buf.put("q quits", x: x, y: y + 2, style: Style(.statusKey), maxX: x + inner) }
        return buf
    }

    /// 10000 → "10 000" (a thin grouping that reads the same in any locale).
    static func group(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(" ") }
            out.append(c)
        }
        return out
    }
}
