"""A crawl frontier shared by several crawler processes through Redis (``--redis URL``).

Built on scrapy-redis, one module per component it replaces, as scrapy-redis
itself is laid out: ``scheduler`` (leases, acknowledgements, seeding, idle exit),
``queue`` (a priority queue whose popped requests stay leased to their worker
until done), ``dupefilter`` (the shared seen-set, keyed by Scrapy's own request
fingerprints), ``connection`` (the Redis client, imported lazily: the ``redis``
extra) and ``defaults`` (the key layout). Settings live in ``crawler/settings.py``
(``REDIS_*``).
"""
