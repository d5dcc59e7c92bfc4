"""Journeys of the call builder: a trainer starts a new call and builds it — six turns, two endings, a
critical criterion — once entirely with the mouse (adding nodes, dragging a connection on the diagram,
dragging a reply into place) and once entirely with the keyboard through the forms; each is checked,
played from a node in a new tab, and published; a learner then takes the call. axe-core on the builder."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_a11y, login, nav_link, reply_by_key

pytestmark = pytest.mark.browser

GREETING = "您好，恆通電訊客服中心，很高興為您服務。"
LINES = {"c_1": "我家的網路從早上就斷線了，到現在都還沒好！", "c_2": "好，麻煩你快一點。",
         "c_3": "我是王大明，電話是 0912-345-678。"}


class Mouse:
    """Acts with the mouse: clicks, picks from lists, drags."""

    def __init__(self, page):
        self.page = page

    def type(self, field, text):
        field.click()
        field.fill(text)

    def choose(self, select, label):
        """A choice by its words, or a node by its name (the option's value)."""
        values = select.locator("option").evaluate_all("os => os.map(o => o.value)")
        select.select_option(value=label) if label in values else select.select_option(label=label)

    def press(self, button):
        button.click()

    def tick(self, box):
        box.click()

    def connect(self, source, target):
        """Drag from one node to another on the diagram, with "connect by dragging" on."""
        page = self.page
        page.get_by_role("button", name="全部顯示").click()
        page.get_by_role("button", name="拖曳連接").click()
        canvas = page.locator("#builder-canvas")
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        spots = page.evaluate("""([a, b]) => [a, b].map((id) => {
            const p = window.callBuilder.cy().getElementById(id).renderedPosition(); return [p.x, p.y]; })""",
                              [source, target])
        (x1, y1), (x2, y2) = spots
        page.mouse.move(box["x"] + x1, box["y"] + y1)
        page.mouse.down()
        page.mouse.move(box["x"] + x2, box["y"] + y2, steps=10)
        page.mouse.up()
        settle(page)
        page.get_by_role("button", name="拖曳連接").click()

    def reorder(self, nid, reply, onto):
        """Drag a reply's handle onto another reply."""
        node = self.page.locator(f"#node-{nid}")
        node.locator(f"#n-{nid}-o{reply - 1} .builder-option__handle").drag_to(
            node.locator(f"#n-{nid}-o{onto - 1} > fieldset > legend"))


class Keyboard:
    """Acts with the keyboard only: focus moves to a control, then keys (typing, arrows, Enter, Space)."""

    def __init__(self, page):
        self.page = page

    def type(self, field, text):
        field.focus()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)

    def choose(self, select, label):
        """Arrow keys on the list, to the choice of these words or the node of this name."""
        values = select.locator("option").evaluate_all("os => os.map(o => o.value)")
        options = select.locator("option").all_inner_texts()
        now = select.evaluate("s => s.selectedIndex")
        select.focus()
        wanted = values.index(label) if label in values else options.index(label)
        for _ in range(abs(wanted - now)):
            self.page.keyboard.press("ArrowDown" if wanted > now else "ArrowUp")

    def press(self, button):
        button.focus()
        button.press("Enter")  # on the button's own page (the practice opens in a tab of its own)

    def tick(self, box):
        box.focus()
        box.press("Space")

    def connect(self, source, target):
        """The connect form: from, to, no reply number (a new reply)."""
        page = self.page
        self.choose(page.locator("#c-source"), source)
        self.choose(page.locator("#c-target"), target)
        self.press(page.get_by_role("button", name="連接", exact=True))
        settle(page)

    def reorder(self, nid, reply, onto):
        assert onto == reply - 1
        self.press(self.page.get_by_role("button", name=f"回覆 {reply} 往上移"))


def settle(page):
    page.evaluate("window.callBuilder.settled()")


def _apply(act, page, nid):
    act.press(page.get_by_role("button", name=f"套用 {nid} 的變更"))
    settle(page)


def _add(act, page, kind, after="— 不連接 —"):
    act.choose(page.locator("#a-kind"), kind)
    act.choose(page.locator("#a-after"), after)
    act.press(page.get_by_role("button", name="新增節點"))
    settle(page)


def _reply(act, page, nid, n, say, mark=None, goto=None):
    option = page.locator(f"#n-{nid}-o{n - 1}")
    act.type(option.get_by_label("客服說"), say)
    if mark:
        title, value = mark
        details = option.locator("details.builder-marks")
        if details.get_attribute("open") is None:
            act.press(details.locator("summary"))
        act.choose(option.get_by_label(re.compile(f"^{title}")), value)
    if goto:
        act.choose(option.locator("select[name$='to.0']"), goto)


def _criterion(act, page, name, title, weight, code, critical=False):
    act.type(page.get_by_label("代號（英文字母，不可有空格）"), name)
    act.type(page.get_by_label("新的評分標準"), title)
    act.type(page.locator("#r-new-weight"), weight)
    act.type(page.locator("#r-new-standards"), code)
    if critical:
        act.tick(page.locator("#r-new-critical"))
    act.press(page.get_by_role("button", name="新增評分標準"))
    settle(page)


def _build(page, act, title):
    """Six turns (a_1 c_1 a_2 c_2 a_3 c_3), two endings, the critical criterion 核對身分."""
    nav_link(page, "通話情境").click()
    act.press(page.get_by_role("link", name="新增通話"))
    act.type(page.get_by_label("標題"), title)
    act.choose(page.get_by_label("來電類型"), "技術問題")
    act.press(page.get_by_role("button", name="在通話編排器中開啟"))
    expect(page.get_by_role("heading", name=re.compile("通話編排器"))).to_be_visible()
    page.wait_for_function("window.callBuilder && window.callBuilder.cy()")

    _criterion(act, page, "verify", "核對身分", "20", "4.1.2-d", critical=True)
    _criterion(act, page, "apology", "先致歉", "10", "4.1.2-a")

    _add(act, page, "客戶的話")  # c_1
    act.type(page.locator("#n-c_1-say"), LINES["c_1"])
    act.choose(page.locator("#n-c_1-mood"), "不耐煩")
    _apply(act, page, "c_1")
    act.connect("a_1", "c_1")  # a new reply 2 of a_1, leading to c_1
    _reply(act, page, "a_1", 1, "喂？", ("開場問候", "未達成"), "c_1")
    _reply(act, page, "a_1", 2, GREETING, ("開場問候", "達成"))
    _apply(act, page, "a_1")
    act.reorder("a_1", 2, 1)
    settle(page)
    expect(page.locator("#n-a_1-o0-say")).to_have_value(GREETING)

    _add(act, page, "客服回覆（選擇題）", after="c_1")  # a_2, after c_1
    _reply(act, page, "a_2", 1, "真的很抱歉造成您的不便，我馬上幫您查詢。", ("先致歉", "達成"))
    act.press(page.locator("#n-a_2-addopt"))
    settle(page)
    _reply(act, page, "a_2", 2, "網路斷線很常見，您先重開機。", ("先致歉", "未達成"), "end_1")
    _apply(act, page, "a_2")
    _add(act, page, "客戶的話")  # c_2
    act.type(page.locator("#n-c_2-say"), LINES["c_2"])
    _apply(act, page, "c_2")
    _reply(act, page, "a_2", 1, "真的很抱歉造成您的不便，我馬上幫您查詢。", None, "c_2")
    _apply(act, page, "a_2")

    _add(act, page, "客服回覆（選擇題）", after="c_2")  # a_3
    _add(act, page, "客戶的話")  # c_3
    act.type(page.locator("#n-c_3-say"), LINES["c_3"])
    _apply(act, page, "c_3")
    _reply(act, page, "a_3", 1, "為了保護您的帳戶，請問申請人的全名與登記電話是？", ("核對身分", "達成"), "c_3")
    act.press(page.locator("#n-a_3-addopt"))
    settle(page)
    _reply(act, page, "a_3", 2, "我直接把您登記的地址唸給您核對。", ("核對身分", "違反"), "end_1")
    _apply(act, page, "a_3")

    _add(act, page, "結局", after="c_3")  # end_2
    act.type(page.locator("#n-end_2-summary"), "核對身分之後，順利安排了到府檢修。")
    _apply(act, page, "end_2")
    act.choose(page.locator("#n-end_1-outcome"), "客戶掛斷")
    act.choose(page.locator("#n-end_1-mood"), "生氣")
    act.type(page.locator("#n-end_1-summary"), "客戶覺得沒有被好好對待，掛斷了電話。")
    _apply(act, page, "end_1")
    expect(page.locator("#builder-problems")).to_contain_text("沒有問題")


def _try_and_publish(page, act):
    act.choose(page.locator("#try-start"), "a_3")
    with page.context.expect_page() as opened:
        act.press(page.get_by_role("button", name="從這裡練習", exact=True))
    trial = opened.value
    trial.wait_for_load_state()
    expect(trial.get_by_text("只有你看得到")).to_be_visible()
    with trial.expect_navigation():
        act.press(trial.get_by_role("button", name=re.compile("為了保護您的帳戶")))
    expect(trial.get_by_text(LINES["c_3"])).to_be_visible()
    expect(trial.get_by_text("核對身分之後，順利安排了到府檢修。")).to_be_visible()
    trial.close()
    act.press(page.get_by_role("button", name="檢查並儲存"))
    expect(page.get_by_text(re.compile("已儲存為第 2 版"))).to_be_visible()


def test_a_trainer_builds_a_call_with_the_mouse_and_a_learner_takes_it(page):
    login(page, "T0001")
    _build(page, Mouse(page), "網路斷線報修（滑鼠）")
    expect(page.locator("#node-a_1 .builder-node__problems")).to_be_empty()
    check_a11y(page, "call-builder")
    # The diagram draws every node, and the YAML view shows what saving writes.
    assert page.evaluate("window.callBuilder.cy().nodes().length") == 8
    page.get_by_role("button", name="縮小").click()
    page.get_by_text("進階：以 YAML 檢視情境").click()
    expect(page.locator("#builder-yaml")).to_contain_text("critical: true")
    _try_and_publish(page, Mouse(page))

    page.context.clear_cookies()
    login(page, "L0004")
    page.goto("/calls/")
    page.get_by_role("link", name="網路斷線報修（滑鼠）").click()
    page.get_by_role("button", name="開始練習").click()
    for option in (0, 0, 0):
        reply_by_key(page, option)
    page.wait_for_url(re.compile(r"/debrief"))
    expect(page.get_by_text("核對身分").first).to_be_visible()


def test_a_trainer_builds_a_call_with_the_keyboard_only(page):
    login(page, "T0001")
    act = Keyboard(page)
    _build(page, act, "網路斷線報修（鍵盤）")
    # A fault is marked on its node, in words, and goes away when mended.
    act.choose(page.locator("#n-c_2-to-0"), "— 尚未指定 —")
    settle(page)
    expect(page.locator("#node-c_2 .builder-node__problems")).to_contain_text("節點 c_2")
    expect(page.locator("#builder-problems")).to_contain_text("節點 c_2")
    act.choose(page.locator("#n-c_2-to-0"), "a_3")
    settle(page)
    expect(page.locator("#builder-problems")).to_contain_text("沒有問題")
    _try_and_publish(page, act)


def test_the_builder_draws_under_the_content_security_policy(browser, live_server):
    """The page fixture lifts the CSP (to inject axe-core); here it holds: cytoscape and the builder run
    from the app's own files, and nothing they do is refused."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        login(page, "T0001")
        page.goto("/calls/manage/transfer-with-consent/builder")
        page.wait_for_function("window.callBuilder && window.callBuilder.cy() && window.callBuilder.cy().nodes().length")
        page.get_by_role("button", name="放大").click()
        page.get_by_role("button", name="重新排列").click()
        assert page.evaluate("window.callBuilder.cy().nodes().length") >= 20
    finally:
        context.close()
    assert errors == []
