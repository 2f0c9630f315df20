import HTTPTypes

/// The header names the server reads or writes that HTTPTypes does not declare, in one place.
extension HTTPFields.Element.Name {
    /// `Idempotency-Key`: one id per pass sent by an edge agent, reused on retries.
    static var idempotencyKey: Self { Self("Idempotency-Key")! }
    static var lastEventID: Self { Self("Last-Event-ID")! }
    /// Tells a proxy (nginx) not to buffer the stream.
    static var accelBuffering: Self { Self("X-Accel-Buffering")! }
    static var contentDisposition: Self { Self("Content-Disposition")! }
    static var xContentTypeOptions: Self { Self("X-Content-Type-Options")! }
    static var xFrameOptions: Self { Self("X-Frame-Options")! }
    static var referrerPolicy: Self { Self("Referrer-Policy")! }
    static var csrfToken: Self { Self("X-CSRF-Token")! }
    static var serverTiming: Self { Self("Server-Timing")! }
}
