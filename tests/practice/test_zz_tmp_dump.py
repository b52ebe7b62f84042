from lms.accounts.models import Role
def test_dump(make_user, login):
    c = login(make_user(Role.LEAD))
    page = c.get("/lead/practice/trainees/import").get_data(as_text=True)
    i = page.index("<main")
    open("/tmp/upload_page.html","w").write(page[i:])
