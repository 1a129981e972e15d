"""Geography: geocoding chain, gazetteer, distances, travel-time model, map geometry."""
