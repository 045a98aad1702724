"""sdkgen: one OpenAPI spec in, a correct, idiomatic, tested SDK and its docs out."""

__version__ = "0.1.0"
