/// The OpenAPI 3.1 description served at `/openapi.json`.
enum OpenAPIDocument {
    static let json = #"{"openapi":"3.1.0","info":{"title":"MicroANPR","version":"0.1.0"},"paths":{}}"#
}
