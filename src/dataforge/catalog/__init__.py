"""The catalogue: technologies, intents, per-cloud defaults and sample domains, loaded from TOML data."""

from dataforge.catalog.model import Catalog, CloudDefaults, Domain, Intent, JdbcSpec, Technology, load_catalog

__all__ = ["Catalog", "CloudDefaults", "Domain", "Intent", "JdbcSpec", "Technology", "load_catalog"]
