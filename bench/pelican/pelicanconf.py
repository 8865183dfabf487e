"""The timeline's pages, as Pelican builds them: an event page, the index and tag pages.

Copied next to the converted content by bench/run.py; relative paths are
relative to this file. Feeds, categories, authors and archives are off
(timeline has no such pages), so Pelican does no more than timeline does.
"""

SITENAME = "Benchmark timeline"
SITEURL = ""
PATH = "content"
THEME = "."
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

ARTICLE_ORDER_BY = "date"  # oldest first, as the timeline reads
ARTICLE_URL = "events/{slug}/"
ARTICLE_SAVE_AS = "events/{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
DIRECT_TEMPLATES = ["index", "tags"]
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ARCHIVES_SAVE_AS = ""
PAGE_SAVE_AS = ""

DEFAULT_PAGINATION = 100
PAGINATED_TEMPLATES = {"index": None, "tag": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
STATIC_PATHS = []
THEME_STATIC_PATHS = []
CACHE_CONTENT = LOAD_CONTENT_CACHE = False
