"""A manager imports KPIs: a file with a misspelt header is refused with the problem named; a file with an
unknown employee number and bad values is refused with every problem listed and nothing imported; the
corrected file is imported; the team KPI page shows the effect of the complaint-handling course with the
group sizes, the trend charts with their text alternatives and data tables. axe-core clean throughout."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from lms.db import db
from lms.kpi.models import KpiImport
from lms.timeutil import local_today
from tests.browser.conftest import check_a11y, login, nav_link

pytestmark = pytest.mark.browser


def _imports(live_app) -> int:
    with live_app.app_context():
        return db.session.scalar(select(func.count()).select_from(KpiImport))


def test_a_manager_imports_kpis_and_reads_the_effect_of_training(page, live_app, tmp_path):
    login(page, "M0001")
    nav_link(page, "KPI").click()
    expect(page.get_by_role("heading", name="團隊 KPI · 客服一組")).to_be_visible()
    check_a11y(page, "kpi-team")
    page.get_by_role("link", name="匯入 KPI").click()
    expect(page.get_by_label("CSV 檔案")).to_be_visible()
    check_a11y(page, "kpi-import")
    before = _imports(live_app)
    with live_app.app_context():
        month = local_today().strftime("%Y-%m")

    misspelt = tmp_path / "misspelt.csv"
    misspelt.write_text(f"employee_number,period,fcr,首次解决率\nK0001,{month},75,75\nK9999,{month},75,75\n",
                        encoding="utf-8")
    page.get_by_label("CSV 檔案").set_input_files(str(misspelt))
    page.get_by_role("button", name="匯入").click()
    summary = page.locator(".error-summary")
    # the header's problem and the rows' problems, all in one answer
    assert summary.locator("tbody tr td:first-child").all_inner_texts() == ["1", "3"]
    assert "首次解决率" in summary.inner_text() and "K9999" in summary.inner_text()

    rows = [f"K{n:04d},{month},{70 + n % 5},{80 + n % 3},1.2" for n in range(1, 15)]
    bad = list(rows)
    bad[2] = f"K9999,{month},72,81,1.2"        # row 4: unknown employee number
    bad[6] = f"K0007,{month},七十,81,1.2"       # row 8: not a number
    bad[9] = f"K0010,{month},72,81,120"        # row 11: out of range
    header = "工號,期間,首次解決率,csat,complaint_rate"
    bad_file = tmp_path / "bad.csv"
    bad_file.write_text("\n".join([header, *bad]) + "\n", encoding="utf-8")
    page.get_by_label("CSV 檔案").set_input_files(str(bad_file))
    page.get_by_role("button", name="匯入").click()
    expect(summary).to_contain_text("發現 3 個問題")
    expect(summary.locator("tbody tr td:first-child")).to_have_text(["4", "8", "11"], use_inner_text=True)
    check_a11y(page, "kpi-import-errors")
    assert _imports(live_app) == before

    good_file = tmp_path / "good.csv"
    good_file.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    page.get_by_label("CSV 檔案").set_input_files(str(good_file))
    page.get_by_role("button", name="匯入").click()
    expect(page.get_by_text("已從 14 列匯入 42 筆 KPI 數值；取代先前的 0 筆。")).to_be_visible()
    assert _imports(live_app) == before + 1
    check_a11y(page, "kpi-import-done")

    page.get_by_role("link", name="團隊 KPI").click()
    page.get_by_label("要看成效的課程").select_option("PRO-205")
    page.get_by_role("button", name="顯示").click()
    table = page.locator("#effect-table")
    fcr = table.get_by_role("row").filter(has_text="首次解決率")
    cells = fcr.locator("td").all_inner_texts()
    assert int(cells[0]) >= 7 and int(cells[4]) >= 5  # trained agents, untrained peers
    assert "優於同儕" in cells[-1]
    chart = page.get_by_role("img", name="首次解決率", exact=False).first
    expect(chart).to_be_visible()
    assert month in (chart.get_attribute("alt") or "")
    page.locator("section.kpi-panel").first.get_by_text("圖表數據").click()
    expect(page.locator("section.kpi-panel").first.get_by_role("table")).to_be_visible()
    check_a11y(page, "kpi-team-effect")
    page.screenshot(path=str(tmp_path / "kpi-team.png"), full_page=True)
