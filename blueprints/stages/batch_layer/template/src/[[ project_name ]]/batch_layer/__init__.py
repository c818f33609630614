"""The batch layer of the lambda pattern: `archive` keeps every raw event the stream delivers (a query of the
streaming job), `recompute` counts a day's windows again from that archive, late events included.
"""
