"""The crawl's frontier on disk: Scrapy's pickle FIFO queue, with callbacks named by their own name.

Scrapy writes a request to its disk queue as `Request.to_dict(spider=…)`, which finds the names of
the callback and the errback by `inspect.getmembers` of the whole spider (every attribute, its
properties evaluated) twice a request: 3 % of the crawl process's time on a 10k site. A bound
method knows its own name; the spider is only asked whether that name gives the same function.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.squeues import PickleFifoDiskQueue


class RequestFifoDiskQueue(PickleFifoDiskQueue):
    """`SCHEDULER_DISK_QUEUE`: what Scrapy's PickleFifoDiskQueue stores, serialized for less."""

    def push(self, request: Request) -> None:
        data = {"url": request.url, "callback": self._method_name(request.callback),
                "errback": self._method_name(request.errback), "headers": dict(request.headers)}
        for attr in request.attributes:  # what Request.to_dict adds: Scrapy's list of its fields
            data.setdefault(attr, getattr(request, attr))
        if type(request) is not Request:
            data["_class"] = f"{type(request).__module__}.{type(request).__name__}"
        super(PickleFifoDiskQueue, self).push(data)  # past Scrapy's own to_dict, to the pickling queue

    def _method_name(self, method: Any) -> Any:
        """The spider's name for `method`; ValueError (the scheduler then keeps the request in
        memory) for a callable that is no method of the spider, as Scrapy's to_dict does."""
        if not callable(method):
            return method  # None, or already a name
        function = getattr(method, "__func__", None)
        name = getattr(method, "__name__", "")
        if function is not None and getattr(getattr(self.spider, name, None), "__func__", None) is function:
            return name
        raise ValueError(f"Function {method} is not an instance method in: {self.spider}")
