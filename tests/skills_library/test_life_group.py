"""The life-group skills: each catalogue 'offline test' against the skill's own script, network ones on loopback."""

from __future__ import annotations

import json
import zipfile
from datetime import date, timedelta

import pytest

from tests.skills_library.fd_helpers import run_script
from tests.skills_library.part3a_helpers import check_structure, run_env
from tests.support.scripted_llm import text, tool_call
from tests.tools.fixtures.agent import stream_answering
from tests.tools.fixtures.loopback import serve_site

LIFE = ["weather-check", "unit-convert", "currency-convert", "timezone-convert", "date-calc", "trip-planner",
        "meal-planner", "fitness-log", "habit-tracker", "anniversary-tracker"]


@pytest.mark.parametrize("name", LIFE)
def test_life_skill_body_is_complete(name):
    check_structure(name, "life")


def _forecast(rain: list[int]) -> dict:
    days = [(date(2025, 4, 1) + timedelta(days=i)).isoformat() for i in range(len(rain))]
    return {"timezone": "Asia/Shanghai", "current": {"temperature_2m": 16.2, "weather_code": 3},
            "daily": {"time": days, "weather_code": [63 if r > 50 else 1 for r in rain],
                      "temperature_2m_max": [19.0] * len(rain), "temperature_2m_min": [14.0] * len(rain),
                      "precipitation_probability_max": rain, "uv_index_max": [3.0] * len(rain),
                      "wind_speed_10m_max": [12.0] * len(rain)}}


def test_weather_advice_mentions_an_umbrella_only_above_fifty_percent():
    with serve_site() as site:
        site.json("/v1/search", {"results": [{"name": "杭州", "admin1": "浙江", "country": "中国",
                                              "latitude": 30.29, "longitude": 120.16}]})
        site.json("/v1/forecast", _forecast([80, 10, 40]))
        out = run_script("weather-check", "weather.py", "forecast", "--place", "杭州", "--days", "3",
                         "--api", site.url("/v1/forecast"), "--geo-api", site.url("/v1/search"))
        query = site.requests[-1]["path"]
    assert out["place"]["name"] == "杭州" and "latitude=30.29" in query and "forecast_days=3" in query
    rainy, dry, maybe = out["days"]
    assert rainy["advice"]["umbrella"] and "带伞" in rainy["advice"]["zh"] and "umbrella" in rainy["advice"]["en"]
    assert not dry["advice"]["umbrella"] and "伞" not in dry["advice"]["zh"]
    assert not maybe["advice"]["umbrella"] and "折叠伞" in maybe["advice"]["zh"]
    assert rainy["conditions_zh"] == "中雨" and "外套或卫衣" in rainy["advice"]["zh"]  # 14–19 °C


def test_weather_advice_from_a_saved_forecast_file(tmp_path):
    (tmp_path / "f.json").write_text(json.dumps(_forecast([55])))
    day = run_script("weather-check", "weather.py", "advise", tmp_path / "f.json")["days"][0]
    assert day["advice"]["umbrella"] and day["rain_chance"] == 55


@pytest.mark.parametrize(("args", "expected"), [
    (["5", "mi", "km"], "8.04672"), (["1", "斤", "g"], "500"), (["3.2", "斤", "公斤"], "1.6"),
    (["1", "亩", "平方米"], "666.667"), (["100", "°F", "摄氏度"], "37.7778"), (["-40", "c", "f"], "-40"),
    (["1", "cup", "ml"], "236.588"), (["1", "GiB", "MB"], "1073.74"), (["60", "mph", "km/h"], "96.5606"),
    (["1", "尺", "cm"], "33.3333"), (["1", "lb", "两"], "9.07185"), (["5 miles to km"], "8.04672"),
])
def test_unit_conversions_are_exact(args, expected):
    assert run_script("unit-convert", "units.py", *args)["results"][0]["value"] == expected


def test_unit_convert_gives_exact_fractions_and_refuses_mixed_dimensions():
    assert run_script("unit-convert", "units.py", "1", "亩", "m2")["results"][0]["exact"] == "2000/3"
    _, out = run_env("unit-convert", "units.py", "3", "kg", "m", code=2)
    assert "cannot convert mass" in out["error"]


def test_currency_conversion_at_a_given_rate_rounds_half_up_to_the_minor_unit():
    out = run_script("currency-convert", "fx.py", "100", "USD", "人民币", "--rate", "7.1234")
    assert out["results"][0] == {"currency": "CNY", "amount": "712.34", "rate": "7.1234",
                                 "rate_source": "given by the user", "rate_time": ""}
    assert run_script("currency-convert", "fx.py", "0.5", "USD", "CNY", "--rate", "7.01")["results"][0]["amount"] == "3.51"
    assert run_script("currency-convert", "fx.py", "100", "CNY", "JPY", "--rate", "20.555")["results"][0]["amount"] == "2056"
    inverse = run_script("currency-convert", "fx.py", "1,000", "CNY", "HKD", "--rate", "0.9", "--inverse")
    assert inverse["results"][0]["amount"] == "1111.11"
    run_script("currency-convert", "fx.py", "100", "USD", "CNY", ok=False)  # no rate and not --live


def test_currency_live_rate_comes_from_the_service_with_its_time():
    with serve_site() as site:
        site.json("/v6/latest/EUR", {"result": "success", "base_code": "EUR", "time_last_update_utc":
                                     "Tue, 01 Apr 2025 00:02:31 +0000", "rates": {"USD": 1.0855, "CNY": 7.8612}})
        out = run_script("currency-convert", "fx.py", "250", "欧元", "USD", "CNY", "--live", "--api", site.url("/v6/latest"))
    assert [(r["currency"], r["amount"]) for r in out["results"]] == [("USD", "271.38"), ("CNY", "1965.30")]
    assert out["results"][0]["rate_time"].startswith("Tue, 01 Apr 2025") and "/v6/latest" in out["results"][0]["rate_source"]


def test_beijing_nine_am_in_new_york_on_a_dst_and_a_standard_date():
    summer = run_script("timezone-convert", "tz.py", "convert", "2024-07-01 09:00", "--from", "北京", "--to", "纽约")
    winter = run_script("timezone-convert", "tz.py", "convert", "2024-01-15 09:00", "--from", "北京", "--to", "New York")
    assert (summer["results"][0]["time"], summer["results"][0]["dst"]) == ("2024-06-30 21:00", True)
    assert (winter["results"][0]["time"], winter["results"][0]["dst"]) == ("2024-01-14 20:00", False)
    assert winter["results"][0]["utc_offset"] == "UTC-05:00" and summer["results"][0]["weekday_zh"] == "周日"
    gap = run_script("timezone-convert", "tz.py", "convert", "2025-03-09 02:30", "--from", "New York", "--to", "UTC")
    assert "does not exist" in gap["note"]


def test_meeting_slots_fall_inside_everyones_working_hours():
    out = run_script("timezone-convert", "tz.py", "meeting", "--date", "2024-07-02", "--zones", "北京", "London",
                     "--hours", "9-18")
    assert [[p["time"][11:] for p in slot] for slot in out["slots"]] == [["16:00", "09:00"], ["16:30", "09:30"], ["17:00", "10:00"]]


def test_date_arithmetic_known_values():
    assert run_script("date-calc", "dates.py", "between", "2024-01-01", "2024-12-25")["days"] == 359
    info = run_script("date-calc", "dates.py", "info", "1990-07-04")["dates"][0]
    assert (info["weekday"], info["weekday_zh"]) == ("Wednesday", "星期三")
    assert run_script("date-calc", "dates.py", "add", "2024-01-31", "--months", "1")["result"]["date"] == "2024-02-29"
    assert run_script("date-calc", "dates.py", "add", "2025-03-14", "--workdays", "5")["result"]["date"] == "2025-03-21"
    assert run_script("date-calc", "dates.py", "info", "2021-01-03")["dates"][0]["iso_week"] == "2020-W53"
    age = run_script("date-calc", "dates.py", "age", "2000-02-29", "--on", "2025-02-28")
    assert age["age"] == 25 and age["next_birthday"] == "2026-02-28"
    work = run_script("date-calc", "dates.py", "between", "2024-09-30", "2024-10-08", "--holiday", "2024-10-01",
                      "--holiday", "2024-10-02", "--holiday", "2024-10-03", "--holiday", "2024-10-04", "--holiday", "2024-10-07")
    assert work["working_days"] == 1 and work["days"] == 8


PLAN = {"title": "杭州三日游", "destination": "杭州", "start": "2025-04-04", "timezone": "Asia/Shanghai",
        "days": [{"title": "西湖", "items": [{"time": "09:00", "what": "断桥, 白堤", "where": "西湖", "transport": "地铁1号线"}]},
                 {"title": "灵隐寺", "items": [{"time": "08:30", "end": "11:30", "what": "灵隐寺", "where": "灵隐", "cost": 75}]},
                 {"title": "返程", "items": [], "notes": "下午高铁回上海"}],
        "budget": [{"item": "酒店", "amount": 900, "currency": "CNY"}]}


@pytest.mark.slow
def test_trip_plan_through_the_agent_loop_gives_docx_and_ics_with_one_entry_per_day(live, llm):
    script = {"skill": "trip-planner", "script": "itinerary.py"}
    llm.add(tool_call("write_file", {"path": "旅行/plan.json", "content": json.dumps(PLAN, ensure_ascii=False)}, id="w1"),
            tool_call("run_skill_script", {**script, "args": ["build", "旅行/plan.json", "--out-dir", "旅行"]}, id="b1"),
            text("行程已生成：杭州三日游.docx 和 杭州三日游.ics。"))
    events, approvals = stream_answering(live, "清明去杭州玩三天，帮我排好行程并导出日历", "allow_once")
    assert any("itinerary.py" in str(a) for a in approvals)
    folder = live.settings.workspace / "旅行"
    ics = (folder / "杭州三日游.ics").read_text(encoding="utf-8")
    all_day = [b for b in ics.split("BEGIN:VEVENT")[1:] if "DTSTART;VALUE=DATE:" in b]
    assert [b.split("DTSTART;VALUE=DATE:")[1][:8] for b in all_day] == ["20250404", "20250405", "20250406"]
    assert "DTSTART;TZID=Asia/Shanghai:20250405T083000" in ics and "DTEND;TZID=Asia/Shanghai:20250405T113000" in ics
    with zipfile.ZipFile(folder / "杭州三日游.docx") as z:
        doc = z.read("word/document.xml").decode("utf-8")
    assert all(f"第 {n} 天" in doc for n in (1, 2, 3)) and "第 4 天" not in doc and "合计 Total: 975 CNY" in doc
    assert events[-1][0] == "done"


def test_trip_packing_list_follows_climate_and_trip_kind():
    items = [i["item"] for i in run_script("trip-planner", "itinerary.py", "packing", "--days", "10", "--climate", "cold",
                                           "--kind", "hiking", "--intl")["items"]]
    assert "换洗衣物 7 套 / 7 sets of clothes" in items and any("羽绒服" in i for i in items)
    assert any("登山鞋" in i for i in items) and any("护照" in i for i in items) and not any("泳衣" in i for i in items)


RECIPES = {"recipes": [
    {"name": "番茄炒蛋", "servings": 2, "ingredients": [
        {"item": "番茄", "qty": 300, "unit": "g", "section": "蔬菜"}, {"item": "鸡蛋", "qty": 3, "unit": "个", "section": "蛋奶"},
        {"item": "盐", "qty": 1, "unit": "tsp", "section": "调料"}]},
    {"name": "番茄牛腩", "servings": 4, "cook_servings": 2, "ingredients": [
        {"item": "番茄", "qty": 1, "unit": "kg", "section": "蔬菜"}, {"item": "牛腩", "qty": 1, "unit": "斤", "section": "肉禽"},
        {"item": "盐", "qty": 2, "unit": "tsp", "section": "调料"}, {"item": "葱", "qty": None}]},
    {"name": "蛋饼", "servings": 1, "ingredients": [{"item": "鸡蛋", "qty": 2, "unit": "pcs", "section": "蛋奶"},
                                                     {"item": "面粉", "qty": 1, "unit": "cup", "section": "主食"}]}],
    "pantry": [{"item": "鸡蛋", "qty": 1, "unit": "个"}, {"item": "面粉", "qty": 1, "unit": "kg"}]}


def test_shopping_list_merges_quantities_across_recipes(tmp_path):
    (tmp_path / "r.json").write_text(json.dumps(RECIPES, ensure_ascii=False), encoding="utf-8")
    out = run_script("meal-planner", "shopping.py", "list", tmp_path / "r.json", "--out", tmp_path / "list.md")
    got = {i["item"]: (i["amount"], i["unit"]) for i in out["items"]}
    # 300 g + 1 kg × 2/4 servings; 3 + 2 eggs − 1 at home; 1 tsp + 2 tsp × 1/2; flour is not in grams: kept apart
    assert got["番茄"] == ("800", "g") and got["鸡蛋"] == ("4", "个") and got["盐"] == ("10", "ml")
    assert got["牛腩"] == ("250", "g") and got["葱"] == ("适量 / to taste", "") and got["面粉"] == ("240", "ml")
    assert out["already_have"] == [] and "- [ ] 番茄 800 g" in (tmp_path / "list.md").read_text(encoding="utf-8")
    scaled = run_script("meal-planner", "shopping.py", "scale", tmp_path / "r.json", "番茄炒蛋", "3")
    assert {i["item"]: i["amount"] for i in scaled["items"]} == {"番茄": "450", "鸡蛋": "4 1/2", "盐": "7 1/2"}


@pytest.mark.slow
def test_meal_plan_through_the_agent_loop_writes_one_merged_shopping_list(live, llm):
    script = {"skill": "meal-planner", "script": "shopping.py"}
    llm.add(tool_call("write_file", {"path": "饮食/recipes.json", "content": json.dumps(RECIPES, ensure_ascii=False)}, id="w1"),
            tool_call("run_skill_script", {**script, "args": ["list", "饮食/recipes.json", "--out", "饮食/购物清单.md"]}, id="s1"),
            text("购物清单在 饮食/购物清单.md。"))
    events, _ = stream_answering(live, "这周晚饭帮我安排一下，列个买菜清单", "allow_once")
    listing = (live.settings.workspace / "饮食/购物清单.md").read_text(encoding="utf-8")
    assert "- [ ] 番茄 800 g" in listing and "- [ ] 鸡蛋 4 个" in listing and listing.count("番茄") == 1
    assert events[-1][0] == "done"


def test_fitness_weekly_totals_are_exact_and_a_chart_is_drawn(tmp_path):
    log = tmp_path / "fit.csv"
    log.write_text("date,kind,activity,amount,unit,kcal,note\n2025-03-03,weight,,70,kg,,\n2025-03-05,steps,,8000,steps,,\n"
                   "2025-03-06,steps,,10000,steps,,\n2025-03-06,meal,牛肉面,650,kcal,650,\n", encoding="utf-8")
    run_script("fitness-log", "fitness.py", "--log", log, "add", "workout", "40", "--activity", "跑步", "--date", "2025-03-03")
    run_script("fitness-log", "fitness.py", "--log", log, "add", "workout", "30", "--activity", "游泳", "--weight-kg", "69",
               "--date", "2025-03-05")
    with log.open("a", encoding="utf-8") as f:  # a later weight and a workout in the next week
        f.write("2025-03-09,weight,,69.4,kg,,\n2025-03-10,workout,yoga,60,min,175,\n")
    week = run_script("fitness-log", "fitness.py", "--log", log, "summary", "--week-of", "2025-03-06")["weeks"][0]
    # running 9.8 MET × 70 kg (the logged weight) × 40/60 h = 457; swimming 7.0 × 69 × 0.5 = 241.5 → 242
    assert (week["week_start"], week["workouts"], week["workout_minutes"]) == ("2025-03-03", 2, 70.0)
    assert (week["kcal_burned"], week["kcal_eaten"], week["steps_total"], week["steps_daily_avg"]) == (699, 650, 18000, 9000)
    assert (week["weight_latest"], week["weight_change"]) == (69.4, -0.6)
    bmi = run_script("fitness-log", "fitness.py", "bmi", "--weight-kg", "70", "--height-cm", "175", "--age", "30", "--sex", "男")
    assert (bmi["bmi"], bmi["category_cn"], bmi["bmr_kcal"]) == (22.9, "正常", 1649)
    chart = run_script("fitness-log", "fitness.py", "--log", log, "chart", "--out", tmp_path / "c.png")["chart"]
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.endswith("c.png")


def test_habit_streak_counts_consecutive_days_and_a_gap_resets_it(tmp_path):
    base = ["--file", tmp_path / "h.csv"]
    (tmp_path / "h.csv").write_text("date,habit,note\n" + "".join(f"2025-03-0{d},早起,\n" for d in (1, 2, 3, 5)),
                                    encoding="utf-8")
    first = run_script("habit-tracker", "habits.py", *base, "checkin", "早起", "--date", "2025-03-06")
    assert not first["already"] and first["current_streak"] == 2
    again = run_script("habit-tracker", "habits.py", *base, "checkin", "早起", "--date", "2025-03-06")
    assert again["already"] and (tmp_path / "h.csv").read_text(encoding="utf-8").count("2025-03-06") == 1
    s = run_script("habit-tracker", "habits.py", *base, "--today", "2025-03-06", "streak", "早起")
    assert (s["current_streak"], s["longest_streak"], s["total_days"]) == (2, 3, 5)
    alive = run_script("habit-tracker", "habits.py", *base, "--today", "2025-03-07", "streak", "早起")
    assert alive["current_streak"] == 2 and not alive["checked_today"]  # still alive until a whole day is missed
    assert run_script("habit-tracker", "habits.py", *base, "--today", "2025-03-08", "streak", "早起")["current_streak"] == 0
    cal = run_script("habit-tracker", "habits.py", *base, "--today", "2025-03-06", "month", "早起", "--month", "2025-03")
    assert cal["calendar"].splitlines()[1:3] == ["          ■ ■", "■ □ ■ ■ · · ·"]


def test_lunar_birthday_maps_to_this_years_date_and_reminds_ahead(tmp_path):
    pytest.importorskip("lunar_python")
    base = ["--file", tmp_path / "a.json", "--today", "2025-09-01"]
    out = run_script("anniversary-tracker", "anniv.py", *base, "add", "妈妈生日", "1965-08-15", "--lunar", "--remind-days", "10")
    assert (out["next"]["next"], out["next"]["years"], out["next"]["remind_on"]) == ("2025-10-06", 60, "2025-09-26")
    nxt = run_script("anniversary-tracker", "anniv.py", "--file", tmp_path / "a.json", "--today", "2025-10-07", "upcoming")
    assert nxt["upcoming"][0]["next"] == "2026-09-25"
    run_script("anniversary-tracker", "anniv.py", *base, "add", "结婚纪念日", "2018-09-05", "--kind", "anniversary")
    up = run_script("anniversary-tracker", "anniv.py", *base, "upcoming", "--within", "40")
    assert [(e["name"], e["days_left"]) for e in up["upcoming"]] == [("结婚纪念日", 4), ("妈妈生日", 35)]
    assert up["remind_now"] == ["结婚纪念日"]
    assert run_script("anniversary-tracker", "anniv.py", "lunar", "2026", "1", "1")["solar"] == "2026-02-17"
    leap = run_script("anniversary-tracker", "anniv.py", "lunar", "2024", "6", "30", "--leap")
    assert leap["notes"] and "no leap month 6" in leap["notes"][0]
