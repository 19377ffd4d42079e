"""Chrome-less variants of the district page and the application form, for a frame on
the district's own homepage (embed.framing): no header, no cookies, every link that
leaves the form opens a new tab."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt

from candidates.views import ApplyView, ThanksView
from districts.models import District
from districts.views import DistrictView
from embed.framing import allow_framing_by, is_same_origin_post
from embed.origins import allowed_origins

EMBED_BASE = "embed/base.html"


class EmbedMixin:
    def framed_response(self, response):
        return allow_framing_by(response, self.district)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return embed_context(context)


def embed_context(context):
    # frame_parents: where static/embed/frame.js may tell the page's height.
    context.update(
        base_template=EMBED_BASE, embed=True, frame_parents=allowed_origins(context["district"])
    )
    return context


class EmbedDistrictView(EmbedMixin, DistrictView):
    def dispatch(self, request, *args, **kwargs):
        self.district = get_object_or_404(District, slug=kwargs["district"])
        return self.framed_response(super().dispatch(request, *args, **kwargs))


@method_decorator(csrf_exempt, name="dispatch")
class EmbedApplyView(EmbedMixin, ApplyView):
    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        self.district = self.municipality.district
        return self.framed_response(response)

    def post(self, request, *args, **kwargs):
        if not is_same_origin_post(request):
            return render(
                request,
                "embed/refused.html",
                embed_context(
                    {"municipality": self.municipality, "district": self.municipality.district}
                ),
                status=403,
            )
        return super().post(request, *args, **kwargs)

    def thanks_redirect(self, token):
        return redirect("embed:thanks", district=self.municipality.district.slug, token=token)

    def render_closed(self):
        return render(
            self.request,
            "candidates/closed.html",
            embed_context(
                {"municipality": self.municipality, "district": self.municipality.district}
            ),
        )


class EmbedThanksView(ThanksView):
    def dispatch(self, request, *args, **kwargs):
        self.district = get_object_or_404(District, slug=kwargs["district"])
        return allow_framing_by(super().dispatch(request, *args, **kwargs), self.district)

    def render_to_response(self, context, **response_kwargs):
        # A thank-you key only works under the district it was made for.
        if context["district"] != self.district:
            raise Http404
        # The notes on eligibility make the page longer: the homepage (and whatever it
        # loads) must not learn that from its height (static/embed/frame.js).
        context["keep_height"] = True
        return super().render_to_response(embed_context(context), **response_kwargs)
