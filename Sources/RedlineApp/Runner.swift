import Foundation
import TerminalUI

/// The input loop: draw, wait for a key (polling), update, run effects off the loop.
///
/// Effects run on a background queue; their results land in a lock-protected inbox drained
/// after every read, so typing never waits for a search.
public final class Runner: @unchecked Sendable {
    let app: BrowserApp
    let backend: TerminalBackend
    private let queue = DispatchQueue(label: "redline.effects", qos: .userInitiated)
    /// Long work (the change feed of a large corpus) runs apart, so searches never queue behind it.
    private let longQueue = DispatchQueue(label: "redline.long-effects", qos: .utility)
    private let lock = NSLock()
    private var inbox: [EffectResult] = []
    private var running = 0

    public init(app: BrowserApp, backend: TerminalBackend) {
        self.app = app
        self.backend = backend
    }

    /// Runs until the user quits. `shouldStop` is polled (e.g. a signal flag).
    public func run(shouldStop: () -> Bool = { false }, firstFrame: () -> Void = {}) {
        var dirty = true
        var drawn = false
        while !app.wantsQuit && !shouldStop() {
            let size = backend.size
            if size.width != app.state.width || size.height != app.state.height {
                app.resize(width: size.width, height: size.height)
                dirty = true
            }
            if drainInbox() { dirty = true }
            if app.takeBackgroundChange() {
                dirty = true
                for effect in app.refreshEffects() { submit(effect) }
            }
            if dirty {
                backend.draw(app.render())
                dirty = false
                if !drawn {
                    drawn = true
                    firstFrame()
                }
            }
            guard let key = backend.nextKey(timeoutMs: pendingWork ? 15 : 100) else { continue }
            if key == .ctrl("z") {
                backend.suspend()
                dirty = true
                continue
            }
            let effects = app.handle(key)
            for effect in effects { submit(effect) }
            dirty = true
        }
    }

    var pendingWork: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running > 0 || !inbox.isEmpty
    }

    func submit(_ effect: Effect) {
        lock.lock()
        running += 1
        lock.unlock()
        let target: DispatchQueue
        if case .changeFeed = effect { target = longQueue } else { target = queue }
        target.async { [self] in
            let result = app.run(effect)
            lock.lock()
            inbox.append(result)
            running -= 1
            lock.unlock()
        }
    }

    /// Hands finished results to the app; true when there were any.
    func drainInbox() -> Bool {
        lock.lock()
        let results = inbox
        inbox = []
        lock.unlock()
        for r in results { app.receive(r) }
        return !results.isEmpty
    }
}
