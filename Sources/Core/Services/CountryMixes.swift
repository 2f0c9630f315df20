import Foundation
import Plates
import Storage
import Synchronization

/// One ``CountryMix`` per camera (and one per tenant for uploads that name no camera): each source learns the
/// countries it shows from its own reads, and no tenant's reads weigh another's.
package final class CountryMixes: Sendable {
    /// At most this many mixes are kept; past it the table starts again (a mix relearns in a few dozen reads).
    package let capacity: Int
    private let mixes = Mutex([String: CountryMix]())

    package init(capacity: Int = 10_000) { self.capacity = capacity }

    /// The mix of `camera` in `tenant`, or the tenant's own when there is no camera.
    package func mix(tenant: ID<Tenant>, camera: ID<Camera>?) -> CountryMix {
        let key = "\(tenant.rawValue)/\(camera?.rawValue ?? "")"
        return mixes.withLock { m in
            if let mix = m[key] { return mix }
            if m.count >= capacity { m.removeAll() }
            let mix = CountryMix()
            m[key] = mix
            return mix
        }
    }
}
