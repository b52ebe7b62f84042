"""(being written)"""

from lms.assessment import bp  # noqa: F401
