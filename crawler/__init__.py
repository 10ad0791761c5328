"""Gathering: the Scrapy crawl (and later Playwright rendering) that writes the site model."""
