#!/usr/bin/env python3
"""Current weather and a multi-day forecast from Open-Meteo (free, no key), turned into practical advice.

`forecast --place 杭州` (or --lat/--lon) fetches; `advise FILE` reads a saved Open-Meteo JSON instead.
Advice: umbrella when the chance of rain is above 50 %, clothing by the day's temperatures, sun, wind and big swings.
"""
from __future__ import annotations

import argparse
import json
import sys
import urllib.parse
import urllib.request
from pathlib import Path

FORECAST_API = "https://api.open-meteo.com/v1/forecast"
GEO_API = "https://geocoding-api.open-meteo.com/v1/search"
DAILY = "weather_code,temperature_2m_max,temperature_2m_min,precipitation_probability_max,precipitation_sum,uv_index_max,wind_speed_10m_max"
CURRENT = "temperature_2m,apparent_temperature,relative_humidity_2m,weather_code,wind_speed_10m,precipitation"
# WMO weather codes → (中文, English)
CODES = {0: ("晴", "clear"), 1: ("大致晴", "mainly clear"), 2: ("多云", "partly cloudy"), 3: ("阴", "overcast"),
         45: ("雾", "fog"), 48: ("冻雾", "rime fog"), 51: ("毛毛雨", "light drizzle"), 53: ("毛毛雨", "drizzle"),
         55: ("较强毛毛雨", "dense drizzle"), 61: ("小雨", "light rain"), 63: ("中雨", "rain"), 65: ("大雨", "heavy rain"),
         66: ("冻雨", "freezing rain"), 67: ("强冻雨", "heavy freezing rain"), 71: ("小雪", "light snow"),
         73: ("中雪", "snow"), 75: ("大雪", "heavy snow"), 77: ("雪粒", "snow grains"), 80: ("阵雨", "rain showers"),
         81: ("较强阵雨", "heavy showers"), 82: ("暴雨", "violent showers"), 85: ("阵雪", "snow showers"),
         86: ("强阵雪", "heavy snow showers"), 95: ("雷阵雨", "thunderstorm"), 96: ("雷阵雨伴冰雹", "thunderstorm with hail"),
         99: ("强雷暴伴冰雹", "severe thunderstorm with hail")}
RAIN_CODES = {51, 53, 55, 61, 63, 65, 66, 67, 80, 81, 82, 95, 96, 99}


def get_json(url: str, timeout: float) -> dict:
    req = urllib.request.Request(url, headers={"User-Agent": "xiaodazi-weather/1"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - fixed https API or a given base
        return json.loads(resp.read().decode("utf-8"))


def geocode(place: str, api: str, timeout: float) -> dict:
    """The best match for a place name (Chinese names work)."""
    q = urllib.parse.urlencode({"name": place, "count": 1, "language": "zh", "format": "json"})
    hits = get_json(f"{api}?{q}", timeout).get("results") or []
    if not hits:
        raise ValueError(f"place {place!r} not found; try the city name in Chinese or English, or give --lat/--lon")
    h = hits[0]
    return {"name": h.get("name"), "country": h.get("country"), "admin": h.get("admin1"),
            "lat": h["latitude"], "lon": h["longitude"]}


def clothing(tmin: float, tmax: float) -> tuple[str, str]:
    """A clothing suggestion from the day's low and high."""
    feel = (tmin + 2 * tmax) / 3
    bands = [(30, "短袖短裤，注意防暑补水", "T-shirt and shorts; stay hydrated"),
             (24, "短袖或薄衬衫", "T-shirt or a light shirt"),
             (18, "长袖衬衫/薄外套", "long sleeves or a light jacket"),
             (12, "外套或卫衣，早晚加件毛衣", "a jacket or hoodie, a sweater for morning and evening"),
             (5, "厚外套/风衣加毛衣", "a warm coat over a sweater"),
             (-100, "羽绒服、帽子手套围巾", "a down jacket, hat, gloves and scarf")]
    return next((zh, en) for limit, zh, en in bands if feel >= limit)


def advise_day(d: dict) -> dict:
    """Advice for one forecast day (all keys optional except the temperatures)."""
    zh, en = [], []
    rain = d.get("rain_chance")
    umbrella = (rain is not None and rain > 50) or (rain is None and d.get("code") in RAIN_CODES)
    if umbrella:
        zh.append(f"降雨概率 {rain}%，记得带伞" if rain is not None else "有雨，记得带伞")
        en.append(f"{rain}% chance of rain: take an umbrella" if rain is not None else "rain expected: take an umbrella")
    elif rain is not None and rain >= 30:
        zh.append(f"降雨概率 {rain}%，可备一把折叠伞")
        en.append(f"{rain}% chance of rain: a folding umbrella is wise")
    cz, ce = clothing(d["tmin"], d["tmax"])
    zh.append(cz)
    en.append(ce)
    if d["tmax"] - d["tmin"] >= 10:
        zh.append(f"温差 {d['tmax'] - d['tmin']:.0f}°C，洋葱式穿搭方便增减")
        en.append(f"{d['tmax'] - d['tmin']:.0f}°C swing: dress in layers")
    if (d.get("uv") or 0) >= 6:
        zh.append("紫外线强，注意防晒")
        en.append("strong UV: sunscreen and a hat")
    if (d.get("wind") or 0) >= 39:
        zh.append("风大，出行注意安全")
        en.append("strong wind: take care outdoors")
    return {"zh": "；".join(zh), "en": "; ".join(en), "umbrella": umbrella}


def summarize(data: dict, place: dict | None) -> dict:
    """Days with conditions and advice from an Open-Meteo response."""
    dd = data.get("daily") or {}
    days = []
    for i, day in enumerate(dd.get("time", [])):
        pick = lambda k, i=i: (dd.get(k) or [None] * (i + 1))[i]  # noqa: E731
        d = {"date": day, "code": pick("weather_code"), "tmax": pick("temperature_2m_max"), "tmin": pick("temperature_2m_min"),
             "rain_chance": pick("precipitation_probability_max"), "rain_mm": pick("precipitation_sum"),
             "uv": pick("uv_index_max"), "wind": pick("wind_speed_10m_max")}
        d["conditions_zh"], d["conditions_en"] = CODES.get(d["code"], ("未知", "unknown"))
        d["advice"] = advise_day(d)
        days.append(d)
    cur = data.get("current") or {}
    if cur:
        cur = {**cur, "conditions_zh": CODES.get(cur.get("weather_code"), ("未知", ""))[0]}
    return {"ok": bool(days), "place": place, "timezone": data.get("timezone"), "units": data.get("daily_units"),
            "current": cur, "days": days, "source": "Open-Meteo (open-meteo.com)"}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("forecast", help="fetch and advise")
    f.add_argument("--place", help="city or place name")
    f.add_argument("--lat", type=float)
    f.add_argument("--lon", type=float)
    f.add_argument("--days", type=int, default=3, help="1-16")
    f.add_argument("--api", default=FORECAST_API)
    f.add_argument("--geo-api", default=GEO_API)
    f.add_argument("--timeout", type=float, default=15)
    a = sub.add_parser("advise", help="advise from a saved Open-Meteo JSON file")
    a.add_argument("file")
    for x in (f, a):
        x.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "advise":
            result = summarize(json.loads(Path(args.file).read_text(encoding="utf-8")), None)
        else:
            if args.lat is None or args.lon is None:
                if not args.place:
                    raise ValueError("give --place or --lat and --lon")
                place = geocode(args.place, args.geo_api, args.timeout)
            else:
                place = {"name": args.place or f"{args.lat},{args.lon}", "lat": args.lat, "lon": args.lon}
            q = urllib.parse.urlencode({"latitude": place["lat"], "longitude": place["lon"], "daily": DAILY, "current": CURRENT,
                                        "timezone": "auto", "forecast_days": max(1, min(args.days, 16))})
            result = summarize(get_json(f"{args.api}?{q}", args.timeout), place)
    except ValueError as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        return 2
    except OSError as exc:
        print(json.dumps({"ok": False, "error": f"weather service unreachable: {exc}"}, ensure_ascii=False))
        return 1
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
