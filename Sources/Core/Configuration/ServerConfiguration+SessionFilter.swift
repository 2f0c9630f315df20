import Storage

extension ServerConfiguration.Parking {
    /// A session list's filter, bounded by the longest a session can last: the parking timeout (after which an open
    /// session is closed as a missed exit) and a day for exits that arrive before the timeout sweep.
    package func sessionFilter(
        tenantID: ID<Tenant>, site: String? = nil, plate: [String]? = nil, status: String? = nil, from: Int64?, to: Int64?
    ) -> SessionFilter {
        SessionFilter(
            tenantID: tenantID, site: site, plate: plate, status: status, from: from, to: to,
            longest: Int64((sessionTimeoutHours + 24) * 3_600_000))
    }
}
