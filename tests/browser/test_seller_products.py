"""Seller Center, products: add (with field errors), edit, archive, and a CSV import whose bad
line is reported by its number while the good lines are saved."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in, screenshot
from tests.factories import World, unique


async def test_add_edit_and_archive_a_product(page: Page, world: World) -> None:
    shop = await world.shop()
    sku = unique("TEE-")
    await log_in(page, shop.owner)
    await page.goto(f"/seller/shops/{shop.id}/products")
    await expect(page.get_by_text("No products here yet.")).to_be_visible()
    await page.get_by_role("link", name="Add a product").click()

    # A bad price is refused at its field, and what was typed stays.
    await page.get_by_label("SKU").fill(sku)
    await page.get_by_label("Title").fill("Organic cotton tee")
    await page.get_by_label("Price").fill("12.345")
    await page.get_by_label("Stock").fill("40")
    await page.get_by_role("button", name="Add the product").click()
    await expect(page.locator("#f-price-error")).to_be_visible()
    await expect(page.get_by_label("Title")).to_have_value("Organic cotton tee")
    await screenshot(page, "seller-product-form-errors")
    await assert_accessible(page)

    await page.get_by_label("Price").fill("24.90")
    await page.get_by_role("button", name="Add the product").click()
    await expect(page.get_by_role("status")).to_contain_text("The product was added.")
    row = page.locator(f"tr[data-sku='{sku}']")
    await expect(row).to_contain_text("24.90 USD")
    await expect(row).to_contain_text("On sale")

    await page.get_by_role("link", name=f"Edit {sku}").click()
    await expect(page.get_by_role("heading", name="Edit product")).to_be_visible()
    await page.get_by_label("Price").fill("19.90")
    await page.get_by_label("Stock").fill("7")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status")).to_contain_text("The product was saved.")
    await expect(row).to_contain_text("19.90 USD")
    await expect(row).to_contain_text("7")
    await screenshot(page, "seller-products")
    await assert_accessible(page)

    await page.get_by_role("button", name=f"Archive {sku}").click()
    await expect(page.get_by_role("status")).to_contain_text("The product was archived.")
    await expect(row).to_contain_text("Archived")
    await page.get_by_role("link", name="On sale", exact=True).click()
    await expect(row).to_have_count(0)


async def test_the_product_list_pages_by_cursor(page: Page, world: World) -> None:
    shop = await world.shop()
    for n in range(26):
        await world.product(shop, sku=f"PAGE-{n:02d}")
    await log_in(page, shop.owner)
    await page.goto(f"/seller/shops/{shop.id}/products")
    await expect(page.locator("tr[data-sku]")).to_have_count(25)
    await expect(page.locator("tr[data-sku='PAGE-25']")).to_have_count(0)
    await page.get_by_role("link", name="Next page").click()
    await expect(page.locator("tr[data-sku]")).to_have_count(1)
    await expect(page.locator("tr[data-sku='PAGE-25']")).to_be_visible()
    await expect(page.get_by_role("link", name="Next page")).to_have_count(0)


async def test_a_taken_sku_is_refused_with_its_rule(page: Page, world: World) -> None:
    shop = await world.shop()
    existing = await world.product(shop)
    await log_in(page, shop.owner)
    await page.goto(f"/seller/shops/{shop.id}/products/new")
    await page.get_by_label("SKU").fill(existing["sku"])
    await page.get_by_label("Title").fill("Another tee")
    await page.get_by_label("Price").fill("5.00")
    await page.get_by_label("Stock").fill("1")
    await page.get_by_role("button", name="Add the product").click()
    await expect(page.get_by_role("alert")).to_contain_text("That SKU is taken")


async def test_csv_import_reports_the_bad_line_by_its_number(page: Page, world: World) -> None:
    shop = await world.shop()
    await world.product(shop, sku="MUG-1", title="Old mug", price="3.00")
    csv = (
        "sku,title,price,currency,stock\n"
        "MUG-1,Stoneware mug,9.50,USD,12\n"
        "CAP-1,Baseball cap,14.00,USD,30\n"
        "BAD-1,Broken price,abc,USD,3\n"
        "SOCK-1,Wool socks,6.00,USD,100\n"
    )
    await log_in(page, shop.owner)
    await page.goto(f"/seller/shops/{shop.id}/products")
    await page.get_by_label("CSV file", exact=True).set_input_files(
        files=[{"name": "catalog.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    await page.get_by_role("button", name="Import").click()
    summary = page.get_by_role("status")
    await expect(summary).to_have_text(
        "Lines read: 4 · products created: 2 · updated: 1 · lines refused: 1"
    )
    bad = page.locator("tr[data-line='4']")
    await expect(bad).to_contain_text("price")
    await expect(page.locator("tr[data-line]")).to_have_count(1)
    await screenshot(page, "seller-import-result")
    await assert_accessible(page)

    await page.get_by_role("link", name="Back to the products").click()
    await expect(page.locator("tr[data-sku='MUG-1']")).to_contain_text("9.50 USD")
    await expect(page.locator("tr[data-sku='SOCK-1']")).to_be_visible()
    await expect(page.locator("tr[data-sku='BAD-1']")).to_have_count(0)


async def test_csv_import_with_a_wrong_header_is_refused(page: Page, world: World) -> None:
    shop = await world.shop()
    await log_in(page, shop.owner)
    await page.goto(f"/seller/shops/{shop.id}/products")
    await page.get_by_label("CSV file", exact=True).set_input_files(
        files=[{"name": "x.csv", "mimeType": "text/csv", "buffer": b"name,cost\nA,1\n"}]
    )
    await page.get_by_role("button", name="Import").click()
    await expect(page.get_by_role("alert")).to_contain_text("not a product header")
    await expect(page.get_by_role("alert")).to_contain_text("unknown ['cost', 'name']")
    await page.goto(f"/seller/shops/{shop.id}/products")
    await expect(page.get_by_text("No products here yet.")).to_be_visible()


async def test_the_csv_import_needs_the_csrf_token(page: Page, world: World) -> None:
    shop = await world.shop()
    await log_in(page, shop.owner)
    response = await page.request.post(
        f"/seller/shops/{shop.id}/products/import",
        multipart={
            "csrf_token": "forged",
            "file": {"name": "a.csv", "mimeType": "text/csv", "buffer": b"sku\n"},
        },
    )
    assert response.status == 403
