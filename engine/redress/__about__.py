"""Version of the Redress package (single source, read by the build backend).

The three numbers of the contract (CHANGELOG.md, "Versions and compatibility"): the package
version, the HTTP API version and the JSON schema version.  The API and schema MAJOR numbers
move together; a MINOR number moves when something is added.
"""

__version__ = "1.0.0"
API_VERSION = "1.0"
SCHEMA_VERSION = "1.0"
