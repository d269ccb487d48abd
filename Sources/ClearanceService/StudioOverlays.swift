public import ClearanceCore
public import ClearanceStore

/// A studio's overlays beside the built-ins: its own published overlays, and which overlays are
/// switched off for the studio or for one production (whose setting wins) (rulebooks.md §2).
public struct StudioOverlays: Sendable {
    public var settings: [OverlaySetting]
    /// The current version of each custom overlay, loaded.
    public var custom: [Policy]
    /// Every published version of the custom overlays, oldest first.
    public var versions: [OverlayVersionRecord]

    public static let none = StudioOverlays(settings: [], custom: [], versions: [])

    public init(settings: [OverlaySetting], custom: [Policy], versions: [OverlayVersionRecord]) {
        self.settings = settings
        self.custom = custom
        self.versions = versions
    }

    /// The overlays switched off for a request on `production` (or studio-wide without one), and by whom.
    public func switchedOff(production: String?) -> [String: RulebookContext.SwitchedOff] {
        var off: [String: RulebookContext.SwitchedOff] = [:]
        for setting in settings where setting.productionID.isEmpty && !setting.enabled {
            off[setting.overlayID] = .studio
        }
        if let production {
            for setting in settings where setting.productionID == production {
                off[setting.overlayID] = setting.enabled ? nil : .production
            }
        }
        return off
    }

    /// The current version record of a custom overlay.
    public func current(_ overlayID: String) -> OverlayVersionRecord? {
        versions.last { $0.overlayID == overlayID }
    }
}
