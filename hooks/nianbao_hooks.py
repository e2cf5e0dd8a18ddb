"""MkDocs hooks: wiring only. The work is done by the `nianbao` package (see nianbao/scale/adapter.py)."""

from nianbao.scale import adapter

_result = None
_command = "build"
_dirty = False


def on_startup(command, dirty=False, **kwargs):
    global _command, _dirty
    _command, _dirty = command, dirty


def on_config(config, **kwargs):
    adapter.pin_build_date(config)
    adapter.own_heading_ids(config)


def on_pre_build(config, **kwargs):
    global _result
    _result = adapter.check_reports(config, clean=not _dirty)


def on_files(files, config, **kwargs):
    return adapter.add_pages(files, config, _result)


def on_nav(nav, config, files, **kwargs):
    return adapter.prepare_pages(nav, config, files)


def on_env(env, config, files, **kwargs):
    return adapter.render_pages(env, config, _result)


def on_template_context(context, template_name, **kwargs):
    return adapter.template_context(context, template_name)


def on_page_markdown(markdown, page, **kwargs):
    return adapter.home_markdown(markdown, page, _result)


def on_page_content(html, page, **kwargs):
    return adapter.page_content(html, page)


def on_post_page(output, page, **kwargs):
    return adapter.page_output(output, page)


def on_post_template(output, template_name, **kwargs):
    return adapter.template_output(output, template_name)


def on_post_build(config, **kwargs):
    adapter.finish_site(config, _result, serving=_command == "serve")


def on_build_error(error, **kwargs):
    adapter.abandon()


def on_shutdown(**kwargs):
    adapter.shut_down()
