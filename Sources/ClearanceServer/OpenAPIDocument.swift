/// The OpenAPI 3.1 document served at `/openapi.yaml`.
enum OpenAPIDocument {
    static var text: String { embeddedText }
}
