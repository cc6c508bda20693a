# Czech formats as Czech offices write them: 23. 11. 2026, 1 234,50.
DATE_FORMAT = "j. n. Y"
SHORT_DATE_FORMAT = "j. n. Y"
DATETIME_FORMAT = "j. n. Y G:i"
SHORT_DATETIME_FORMAT = "j. n. Y G:i"
TIME_FORMAT = "G:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j. F"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # 23.11.2026
    "%d. %m. %Y",  # 23. 11. 2026
    "%Y-%m-%d",  # 2026-11-23 (the browser's date input sends ISO)
    "%d.%m.%y",  # 23.11.26
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
