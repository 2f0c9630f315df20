import Foundation
import Plates
import Storage
import Synchronization

/// One ``CountryMix`` per camera (and one per tenant for uploads that name no camera): each source learns the
/// countries it shows from its own reads, and no tenant's reads weigh another's. A mix a process has not used
/// yet starts from the source's newest stored reads, so a restart (or another process) does not start from
/// nothing.
package final class CountryMixes: Sendable {
    /// At most this many mixes are kept; past it the table starts again (a mix relearns from the stored reads).
    package let capacity: Int
    private let store: Store?
    private let mixes = Mutex([String: CountryMix]())

    package init(store: Store?, capacity: Int = 10_000) { self.store = store; self.capacity = capacity }

    /// The mix of `camera` in `tenant`, or the tenant's own when there is no camera.
    package func mix(tenant: ID<Tenant>, camera: ID<Camera>?) async -> CountryMix {
        let key = "\(tenant.rawValue)/\(camera?.rawValue ?? "")"
        let (mix, new) = mixes.withLock { m in
            if let mix = m[key] { return (mix, false) }
            if m.count >= capacity { m.removeAll() }
            let mix = CountryMix()
            m[key] = mix
            return (mix, true)
        }
        // A failed lookup only means the mix starts from nothing, as it would without stored reads.
        if new, let store,
            let counts = try? await store.recentCountries(
                tenantID: tenant, cameraID: camera, limit: Int(mix.window), minConfidence: mix.minConfidence)
        {
            mix.add(counts)
        }
        return mix
    }
}
