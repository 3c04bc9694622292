"""Fixtures of the access matrix: one document per owner for every model of the addon.

Owners ("keys" of the matrix):
  o  own        Sam (salesperson, team North, led by Lea)
  m  mate       Sara (salesperson, same team North)
  t  other team Otto (salesperson, team South, led by Mia the manager)
  f  foreign    a document of a second company (Company B)
Configuration models (metrics, regions, milestones, templates...) have no owner: their
keys are ``c`` (the main company) and ``f`` (Company B). Transient wizards: ``o``/``m`` are
the wizards Sam and Sara opened.

Roles (``ROLES``): salesman (own documents), all_docs (all documents), leader (team
leader of North, a plain salesperson otherwise), manager (sales manager), internal (no
sales rights), foreign (sales manager of Company B only), portal, public.
"""

from datetime import date, timedelta

from common import DISABLED_MAIL_CONTEXT, SalesManagementCommon, new_role_user

from odoo import Command

ROLES = ("salesman", "all_docs", "leader", "manager", "internal", "foreign", "portal", "public")


class AccessFixtures(SalesManagementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.today = date.today()
        cls.company_b = env["res.company"].create({"name": "SM Company B"})
        cls.user_foreign = new_role_user(
            env, "foreign",
            company_id=cls.company_b.id, company_ids=[Command.set([cls.company_b.id])],
        )
        cls.user_portal = new_role_user(env, "portal")
        cls.user_public = env.ref("base.public_user")
        cls.role_users = {role: getattr(cls, f"user_{role}") for role in ROLES}
        # the export right, so that exports exercise the record rules (portal and public
        # users cannot hold it: their exports fail on that right before any rule)
        export = env.ref("base.group_allow_export")
        for role in ("salesman", "all_docs", "leader", "manager", "internal", "foreign"):
            cls.role_users[role].groups_id = [Command.link(export.id)]
        cls.team_b = env["crm.team"].with_company(cls.company_b).create({
            "name": "SM Team B", "company_id": cls.company_b.id,
            "user_id": cls.user_foreign.id,
            "member_ids": [Command.set([cls.user_foreign.id])],
        })
        cls.customer_b = env["res.partner"].create({
            "name": "SM Customer B", "is_company": True, "company_id": cls.company_b.id,
        })
        cls.owners = {
            "o": (cls.user_salesman, cls.team, env.company),
            "m": (cls.user_salesman_2, cls.team, env.company),
            "t": (cls.user_other_team, cls.team_other, env.company),
            "f": (cls.user_foreign, cls.team_b, cls.company_b),
        }
        # Company B's salesperson, coached by Fred (the leader of team B)
        cls.user_salesman_b = new_role_user(
            env, "extra_salesman", index="b", company_id=cls.company_b.id,
            company_ids=[Command.set([cls.company_b.id])],
        )
        cls.docs = {}  # model -> {key: record}
        cls.spare_leads = {}  # key -> a second opportunity (to create milestone lines on)
        cls.spare_sessions = {}  # key -> a second 1:1 session (to create a private note on)
        cls._build_documents()
        cls._build_competency_documents()
        env.flush_all()

    # ------------------------------------------------------------------ documents
    @classmethod
    def _build_competency_documents(cls):
        """People (issue 19): a competency per company; per owner, the leader rating of
        the month and a coaching focus (Company B's owner leads his own team: his are
        about himself)."""
        su = cls.env(su=True)
        month = cls.today.replace(day=1)
        for ckey, company in (("c", cls.env.company), ("f", cls.company_b)):
            cls._put("sales.competency", ckey, su["sales.competency"].create({
                "name": f"SM competency {ckey}", "company_id": company.id,
                "kpi_type": "metric",
                "metric_id": cls.env.ref("sales_management.sales_metric_win_rate").id,
            }))
        for key, (user, team, company) in cls.owners.items():
            E = su(context=dict(DISABLED_MAIL_CONTEXT, allowed_company_ids=[company.id]))
            competency = cls.docs["sales.competency"]["f" if key == "f" else "c"]
            cls._put("sales.competency.rating", key, E["sales.competency.rating"].create({
                "user_id": user.id, "team_id": team.id, "company_id": company.id,
                "competency_id": competency.id, "kind": "leader", "level": 3,
                "date_start": month, "rater_id": team.user_id.id,
                "evidence": f"SM evidence {key}",
            }))
            cls._put("sales.coaching.focus", key, E["sales.coaching.focus"].create({
                "user_id": user.id, "team_id": team.id, "company_id": company.id,
                "competency_id": competency.id, "date_start": month,
                "date_end": month + timedelta(days=27),
            }))

    @classmethod
    def _put(cls, model, key, record):
        cls.docs.setdefault(model, {})[key] = record

    @classmethod
    def _build_documents(cls):
        env = cls.env
        su = env(su=True)
        metric = env.ref("sales_management.sales_metric_revenue")
        y0, y1 = cls.today.replace(month=1, day=1), cls.today.replace(month=12, day=31)
        stage = env["crm.stage"].search([], limit=1)
        for key, (user, team, company) in cls.owners.items():
            E = su(context=dict(DISABLED_MAIL_CONTEXT, allowed_company_ids=[company.id]))
            plan = E["sales.plan"].create({
                "name": f"SM plan {key}", "user_id": user.id, "team_id": team.id,
                "company_id": company.id, "date_from": y0, "date_to": y1,
                "strategy": f"<p>secret strategy {key}</p>",
            })
            cls._put("sales.plan", key, plan)
            target = E["sales.plan.target"].create({
                "plan_id": plan.id, "metric_id": metric.id, "target_value": 1000.0,
            })
            cls._put("sales.plan.target", key, target)
            task = E["sales.task"].create({
                "name": f"SM task {key}", "user_id": user.id, "team_id": team.id,
                "company_id": company.id,
            })
            cls._put("sales.task", key, task)
            todo = E["sales.task.todo"].create({
                "task_id": task.id, "name": f"SM todo {key}", "user_id": user.id,
                "date_deadline": cls.today + timedelta(days=5),
            })
            cls._put("sales.task.todo", key, todo)
            cls._put("sales.task.resource", key, E["sales.task.resource"].create({
                "todo_id": todo.id, "description": f"SM resource {key}",
            }))
            action = E["sales.corrective.action"].create({
                "name": f"SM action {key}", "plan_id": plan.id, "target_id": target.id,
                "user_id": user.id,
            })
            cls._put("sales.corrective.action", key, action)
            cls._put("sales.control.alert", key, E["sales.control.alert"].create({
                "target_id": target.id, "plan_id": plan.id, "company_id": company.id,
                "level": "at_risk", "date": cls.today, "user_id": user.id,
            }))
            digest = E["sales.control.digest"].create({
                "name": f"SM digest {key}", "user_id": user.id, "date": cls.today,
                "company_id": company.id,
            })
            cls._put("sales.control.digest", key, digest)
            cls._put("sales.control.digest.line", key, E["sales.control.digest.line"].create({
                "digest_id": digest.id, "section": "own", "kind": "todo",
                "res_model": "sales.task.todo", "res_id": todo.id,
                "record_name": todo.name,
            }))
            cls._put("sales.control.escalation", key, E["sales.control.escalation"].create({
                "item_model": "sales.task.todo", "item_id": todo.id, "level": "team_leader",
                "user_id": team.user_id.id, "owner_id": user.id, "date": cls.today,
                "company_id": company.id,
            }))
            lead = E["crm.lead"].create({
                "name": f"SM lead {key}", "type": "opportunity", "user_id": user.id,
                "team_id": team.id, "company_id": company.id, "expected_revenue": 5000,
                "stage_id": stage.id,
            })
            cls._put("crm.lead", key, lead)
            cls.spare_leads[key] = lead.copy({"name": f"SM spare lead {key}"})
            # configuration per company: a milestone reached on the lead
            if key in ("o", "f"):
                ckey = "c" if key == "o" else "f"
                milestone = E["sales.milestone"].create({
                    "name": f"SM milestone {ckey}", "company_id": company.id,
                    "criterion_ids": [Command.create({"name": f"SM criterion {ckey}"})],
                    # a required call never made: a "missing" row of the activity report
                    "activity_type_ids": [Command.set(
                        env.ref("mail.mail_activity_data_call").ids)],
                })
                cls._put("sales.milestone", ckey, milestone)
                cls._put("sales.milestone.criterion", ckey, milestone.criterion_ids)
                cls._put("sales.milestone.norm", ckey, E["sales.milestone.norm"].create({
                    "milestone_id": milestone.id,
                    "activity_type_id": env.ref("mail.mail_activity_data_meeting").id,
                }))
                cls._put("sales.milestone.stat", ckey, E["sales.milestone.stat"].create({
                    "milestone_id": milestone.id, "team_id": team.id,
                    "company_id": company.id, "probability": 50.0,
                }))
                template = E["sales.task.template"].create({
                    "name": f"SM template {ckey}", "company_id": company.id,
                    "line_ids": [Command.create({"name": f"SM template line {ckey}"})],
                })
                cls._put("sales.task.template", ckey, template)
                cls._put("sales.task.template.line", ckey, template.line_ids)
                cls._put("sales.job.failure", ckey, E["sales.job.failure"].create({
                    "job": "deviation_alerts",
                    "company_id": company.id, "record_name": f"SM failure {ckey}",
                    "message": "ValueError: SM",
                }))
                cls._put("sales.report.dispatch", ckey, E["sales.report.dispatch"].create({
                    "company_id": company.id, "date_ref": cls.today.replace(day=1),
                    "period": f"SM period {ckey}",
                }))
                cls._put("sales.region", ckey, E["sales.region"].create({
                    "name": f"SM region {ckey}", "company_id": company.id,
                    "country_ids": [Command.set([cls.country_be.id])],
                }))
                cls._put("sales.metric", ckey, E["sales.metric"].create({
                    "name": f"SM metric {ckey}", "code": f"sm_metric_{ckey}",
                    "company_id": company.id, "kind": metric.kind, "unit": metric.unit,
                    "source": metric.source, "measure": metric.measure,
                }))
            if key != "f":  # the weekly feedback of Sam, Sara and Otto (a person's row)
                cls._put("sales.report.dispatch", key, E["sales.report.dispatch"].create({
                    "company_id": company.id, "user_id": user.id,
                    "date_ref": cls.today - timedelta(days=cls.today.weekday()),
                    "period": f"SM feedback {key}",
                }))
            milestone = cls.docs["sales.milestone"]["f" if key == "f" else "c"]
            cls._put("sales.lead.milestone", key, E["sales.lead.milestone"].create({
                "lead_id": lead.id, "milestone_id": milestone.id,
            }))
        # 1:1 coaching: the owner is the salesperson, the team's leader the coach (Company
        # B: its salesperson, coached by Fred)
        for key, (user, team, company) in cls.owners.items():
            E = su(context=dict(DISABLED_MAIL_CONTEXT, allowed_company_ids=[company.id]))
            coachee = cls.user_salesman_b if key == "f" else user
            values = {
                "user_id": coachee.id, "coach_id": team.user_id.id, "team_id": team.id,
                "company_id": company.id, "date": cls.today,
            }
            session = E["sales.coaching.session"].create(dict(
                values, shared_note=f"<p>shared note {key}</p>",
            ))
            cls.spare_sessions[key] = E["sales.coaching.session"].create(values)
            cls._put("sales.coaching.session", key, session)
            cls._put("sales.coaching.action", key, E["sales.coaching.action"].create({
                "session_id": session.id, "name": f"SM coaching action {key}",
                "user_id": coachee.id, "date_deadline": cls.today + timedelta(days=7),
            }))
            cls._put("sales.coaching.note.private", key, E["sales.coaching.note.private"].create({
                "session_id": session.id, "body": f"<p>secret coaching note {key}</p>",
            }))
            # a day's note is written by its author (in the author's name)
            N = env(user=coachee, su=True,
                    context=dict(DISABLED_MAIL_CONTEXT, allowed_company_ids=[company.id]))
            cls._put("sales.day.note", key, N["sales.day.note"].create({
                "date": cls.today, "note": f"SM day note {key}", "company_id": company.id,
            }))
        # transient wizards, opened by Sam (o) and Sara (m) on their own documents; made
        # with sudo() in the opener's name (sudo keeps the uid, hence create_uid)
        for key in ("o", "m"):
            user = cls.owners[key][0]
            plan, task, lead = (cls.docs[m][key] for m in ("sales.plan", "sales.task", "crm.lead"))
            W = env(user=user, su=True)
            wizard = W["sales.plan.generate"].create({"plan_id": plan.id})
            cls._put("sales.plan.generate", key, wizard)
            cls._put("sales.plan.generate.line", key, W["sales.plan.generate.line"].create({
                "wizard_id": wizard.id, "user_id": user.id,
            }))
            cls._put("sales.task.done.wizard", key, W["sales.task.done.wizard"].create({
                "task_ids": [Command.set(task.ids)],
            }))
            cls._put("sales.lead.milestone.reach", key, W["sales.lead.milestone.reach"].create({
                "lead_id": lead.id, "milestone_id": cls.docs["sales.milestone"]["c"].id,
            }))
        env.flush_all()
        # SQL-view reports: their rows for each owner's lead
        for model, field in (
            ("sales.kpi.report", "lead_id"),
            ("sales.milestone.forecast.report", "lead_id"),
            ("sales.milestone.funnel.report", None),
            ("sales.milestone.activity.report", None),
        ):
            Report = su[model]
            for key, (user, _team, company) in cls.owners.items():
                if field:
                    rows = Report.search([(field, "=", cls.docs["crm.lead"][key].id)])
                else:
                    rows = Report.search([("user_id", "=", user.id),
                                          ("company_id", "=", company.id)])
                if rows:
                    cls._put(model, key, rows)
