from datetime import datetime, timedelta

from psycopg2 import IntegrityError

from odoo.api import call_kw
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import get_public_method
from odoo.tests import Form, freeze_time, tagged
from odoo.tools import mute_logger

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestService(ServiceCommon):
    # ------------------------------------------------------------------
    # S1: creation by a customer manager
    # ------------------------------------------------------------------

    def test_s1_service_types_and_steps_seeded(self):
        types = self.env["crm.dictionary.item"].search(
            [("category", "=", "service_type")]
        )
        self.assertEqual(
            set(types.mapped("code")),
            {"consultation", "suggestion", "complaint", "onsite"},
        )
        self.assertEqual(self.type_complaint.service_assign_hours, 4)
        self.assertEqual(self.type_complaint.service_handle_hours, 24)
        self.assertTrue(self.type_onsite.service_field_dispatch)
        self.assertFalse(self.type_consultation.service_field_dispatch)
        stages = self.env["helpdesk.ticket.stage"].search(
            [("service_state", "!=", False)]
        )
        self.assertEqual(
            stages.mapped("service_state"), ["new", "assigned", "handled", "archived"]
        )
        self.assertTrue(self.stage_archived.closed)
        # Ordinary tickets never land in service stages.
        applicable = self.env["helpdesk.ticket.team"]._get_applicable_stages()
        self.assertFalse(applicable & stages)
        self.assertTrue(applicable)

    @freeze_time("2025-03-03 08:00:00")
    def test_s1_customer_manager_creates_service(self):
        service = self._create_service(
            service_type=self.type_complaint, customer=self.customer_contact
        )
        self.assertEqual(service.stage_id, self.stage_new)
        self.assertEqual(service.service_state, "new")
        self.assertFalse(service.user_id)
        self.assertEqual(service.name, "Printer out of order")
        self.assertIn("does not print", service.description)
        self.assertEqual(service.commercial_partner_id, self.customer)
        self.assertEqual(service.date_requested, datetime(2025, 3, 3, 8, 0))
        self.assertEqual(service.deadline_assign, datetime(2025, 3, 3, 12, 0))
        self.assertFalse(service.deadline_handle)
        self.assertEqual(service.create_uid, self.customer_manager)

    def test_s1_create_from_the_services_form(self):
        ticket_form = Form(
            self.Ticket.with_user(self.customer_manager).with_context(
                crm_service_view=True
            )
        )
        ticket_form.name = "Which warranty applies?"
        ticket_form.service_type_id = self.type_consultation
        ticket_form.partner_id = self.customer
        ticket_form.description = "<p>The customer asks about the warranty.</p>"
        self.assertEqual(ticket_form.stage_id, self.stage_new)
        service = ticket_form.save()
        self.assertEqual(service.service_state, "new")
        self.assertFalse(service.user_id)

    def test_s1_create_forbidden_paths(self):
        for user in (self.executive, self.internal_user):
            with self.assertRaises(AccessError):
                self._create_service(user=user)
        with self.assertRaises(UserError):
            self._create_service(stage_id=self.stage_assigned.id)
        with self.assertRaises(UserError):
            self._create_service(user_id=self.customer_manager.id)
        with self.assertRaises(UserError):
            self._create_service(satisfaction=5)
        with self.assertRaises(ValidationError):
            self._create_service(partner_id=False)
        region = self.env["crm.dictionary.item"].create(
            {"name": "East China", "category": "region", "code": "test_east"}
        )
        with self.assertRaises(ValidationError):
            self._create_service(service_type=region)
        # A service stage is no place for an ordinary ticket.
        with self.assertRaises(UserError):
            self.Ticket.create(
                {"name": "Plain", "description": "Plain", "stage_id": self.stage_new.id}
            )

    def test_s1_ticket_and_service_do_not_convert(self):
        ticket = self.Ticket.create({"name": "Plain ticket", "description": "Plain"})
        with self.assertRaises(UserError):
            ticket.write({"service_type_id": self.type_consultation.id})
        service = self._create_service()
        with self.assertRaises(UserError):
            service.write({"service_type_id": False})
        # While new, the creator may correct the type.
        service.write({"service_type_id": self.type_suggestion.id})
        self.assertEqual(service.service_type_id, self.type_suggestion)

    # ------------------------------------------------------------------
    # S2: assignment by a sales manager
    # ------------------------------------------------------------------

    def test_s2_sales_manager_assigns(self):
        with freeze_time("2025-03-03 08:00:00"):
            service = self._create_service(service_type=self.type_complaint)
        with freeze_time("2025-03-03 09:30:00"):
            service.with_user(self.sales_manager).action_assign(
                self.customer_manager_2.id
            )
        self.assertEqual(service.stage_id, self.stage_assigned)
        self.assertEqual(service.user_id, self.customer_manager_2)
        self.assertEqual(service.date_assigned, datetime(2025, 3, 3, 9, 30))
        self.assertEqual(service.deadline_handle, datetime(2025, 3, 4, 9, 30))
        # Reassignment while assigned.
        service.with_user(self.sales_manager).action_assign(self.customer_manager)
        self.assertEqual(service.user_id, self.customer_manager)
        self.assertEqual(service.service_state, "assigned")

    def test_s2_customer_manager_cannot_assign(self):
        service = self._create_service()
        with self.assertRaises(AccessError):
            service.with_user(self.customer_manager).action_assign(
                self.customer_manager.id
            )
        self.assertEqual(service.service_state, "new")
        self.assertFalse(service.user_id)

    def test_s2_assignee_must_be_an_internal_user(self):
        service = self._create_service()
        with self.assertRaises(ValidationError):
            service.with_user(self.sales_manager).action_assign(self.portal_user.id)
        with self.assertRaises(ValidationError):
            service.with_user(self.sales_manager).action_assign(False)
        self.assertEqual(service.service_state, "new")

    def test_s2_step_and_assignee_are_not_written_directly(self):
        service = self._create_service()
        as_manager = service.with_user(self.sales_manager)
        # A kanban drag or an RPC write of the stage.
        with self.assertRaises(UserError):
            as_manager.write({"stage_id": self.stage_assigned.id})
        with self.assertRaises(UserError):
            as_manager.write({"user_id": self.customer_manager.id})
        with self.assertRaises(UserError):
            as_manager.write({"date_assigned": "2025-01-01 00:00:00"})
        with self.assertRaises(UserError):
            as_manager.assign_to_me()
        # A context key from an RPC caller does not open the lifecycle.
        with self.assertRaises(UserError):
            as_manager.with_context(
                **{"crm_custom_service.service_transition": 1}
            ).write({"stage_id": self.stage_assigned.id})
        # Administrators included.
        with self.assertRaises(UserError):
            service.with_user(self.env.ref("base.user_admin")).write(
                {"stage_id": self.stage_assigned.id}
            )
        self.assertEqual(service.stage_id, self.stage_new)
        self.assertFalse(service.user_id)

    def test_s2_guard_context_key_does_not_open(self):
        """Superuser mode opens the lifecycle fields, no context key does:
        not the key of the former cursor-cache token, nor any other."""
        service = self._create_service()
        contexts = (
            {"crm_custom_service.service_transition": 1},
            {"su": True},
            {"sudo": True},
            {"guarded_write": True},
            {"install_mode": True},
            {"tracking_disable": True},
        )
        writes = (
            {"stage_id": self.stage_assigned.id},
            {"user_id": self.customer_manager.id},
            {"date_assigned": "2025-01-01 00:00:00"},
            {"handling_note": "Sneaky."},
            {"dispatch_state": "reviewed"},
            {"overdue_escalated_state": "new"},
        )
        for user in (self.sales_manager, self.env.ref("base.user_admin")):
            for context in contexts:
                as_user = service.with_user(user).with_context(**context)
                for vals in writes:
                    with (
                        self.subTest(user=user.login, context=context, vals=vals),
                        self.assertRaises(UserError),
                    ):
                        as_user.write(vals)
                with (
                    self.subTest(user=user.login, context=context, create=True),
                    self.assertRaises(UserError),
                ):
                    self.Ticket.with_user(user).with_context(**context).create(
                        {
                            "name": "Sneaky service",
                            "service_type_id": self.type_consultation.id,
                            "partner_id": self.customer.id,
                            "handling_note": "Already handled.",
                        }
                    )
        self.assertEqual(service.stage_id, self.stage_new)
        self.assertFalse(service.user_id)
        self.assertFalse(service.date_assigned)
        self.assertFalse(service.handling_note)

    def test_s2_rpc_write_of_lifecycle_field_is_refused(self):
        """What an RPC caller can reach: public methods, as its own user,
        with any context; neither sudo() nor the guarded write."""
        service = self._create_service()
        Ticket = self.Ticket.with_user(self.sales_manager)
        for name in ("sudo", "_guarded_write", "_service_write"):
            with self.subTest(method=name), self.assertRaises(AccessError):
                get_public_method(Ticket, name)
        get_public_method(Ticket, "write")
        context = {"crm_custom_service.service_transition": 1}
        for vals in (
            {"stage_id": self.stage_handled.id},
            {"user_id": self.sales_manager.id},
            {"handling_note": "Handled by RPC."},
            {"satisfaction": 5},
            {"deadline_assign": "2030-01-01 00:00:00"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                call_kw(Ticket, "write", [service.ids, vals], {"context": context})
        with self.assertRaises(UserError):
            call_kw(
                Ticket,
                "create",
                [
                    {
                        "name": "Created by RPC",
                        "service_type_id": self.type_consultation.id,
                        "partner_id": self.customer.id,
                        "date_handled": "2025-01-01 00:00:00",
                    }
                ],
                {"context": context},
            )
        self.assertEqual(service.stage_id, self.stage_new)
        self.assertFalse(service.handling_note)
        # The action is reachable, and checks the role of its caller.
        with self.assertRaises(AccessError):
            call_kw(
                self.Ticket.with_user(self.customer_manager),
                "action_assign",
                [service.ids, self.customer_manager.id],
                {},
            )
        call_kw(Ticket, "action_assign", [service.ids, self.customer_manager.id], {})
        self.assertEqual(service.service_state, "assigned")

    def test_s2_superuser_mode_write_of_step_is_refused(self):
        """Superuser mode opens the lifecycle fields to trusted server code,
        but the step and the assignee of a service change only with the
        lifecycle record an action writes: helpdesk_mgmt's portal closes
        tickets with sudo()."""
        service = self._create_service()
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        as_portal_sudo = service.with_user(self.portal_user).sudo()
        for vals in (
            {"stage_id": done.id},
            {"stage_id": self.stage_archived.id},
            {"user_id": self.customer_manager.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                as_portal_sudo.write(vals)
        self.assertEqual(service.stage_id, self.stage_new)
        self.assertFalse(service.user_id)

    def test_s2_action_writes_as_user_tracking(self):
        """Actions write in superuser mode with the user's uid: tracking and
        the chatter name the user who acted, not OdooBot."""
        service = self._create_service().with_context(tracking_disable=False)
        # Created without tracking (the class's context): end that.
        self.cr.flush()

        def tracking_author(field_name):
            self.env.flush_all()
            self.cr.flush()
            tracking = self.env["mail.tracking.value"].search(
                [
                    ("mail_message_id.model", "=", "helpdesk.ticket"),
                    ("mail_message_id.res_id", "=", service.id),
                    ("field_id.name", "=", field_name),
                ],
                order="id desc",
                limit=1,
            )
            self.assertTrue(tracking, f"{field_name} is tracked.")
            return tracking.mail_message_id.author_id

        service.with_user(self.sales_manager).action_assign(self.customer_manager.id)
        self.assertEqual(tracking_author("stage_id"), self.sales_manager.partner_id)
        self.assertEqual(tracking_author("user_id"), self.sales_manager.partner_id)
        service.with_user(self.customer_manager).action_handle("Reset the router.")
        self.assertEqual(
            tracking_author("handling_note"), self.customer_manager.partner_id
        )
        self.assertEqual(tracking_author("stage_id"), self.customer_manager.partner_id)

    def test_s2_assign_only_new_or_assigned(self):
        service = self._handled_service()
        with self.assertRaises(UserError):
            service.with_user(self.sales_manager).action_assign(
                self.customer_manager_2.id
            )
        self.assertEqual(service.service_state, "handled")

    # ------------------------------------------------------------------
    # S3: handling by the assignee
    # ------------------------------------------------------------------

    def test_s3_assignee_handles(self):
        service = self._assigned_service(assignee=self.customer_manager)
        with freeze_time("2025-03-04 10:00:00"):
            service.with_user(self.customer_manager).action_handle(
                "  Replaced the toner cartridge.  "
            )
        self.assertEqual(service.stage_id, self.stage_handled)
        self.assertEqual(service.handling_note, "Replaced the toner cartridge.")
        self.assertEqual(service.date_handled, datetime(2025, 3, 4, 10, 0))

    def test_s3_only_the_assignee_handles(self):
        service = self._assigned_service(assignee=self.customer_manager_2)
        # The creator (who can read it) and a sales manager are not the assignee.
        for user in (self.customer_manager, self.sales_manager):
            with self.assertRaises(AccessError):
                service.with_user(user).action_handle("Done by someone else.")
        self.assertEqual(service.service_state, "assigned")
        self.assertFalse(service.handling_note)

    def test_s3_handle_needs_a_note_and_an_assigned_service(self):
        service = self._assigned_service()
        with self.assertRaises(ValidationError):
            service.with_user(self.customer_manager).action_handle("   ")
        new_service = self._create_service()
        with self.assertRaises(UserError):
            new_service.with_user(self.customer_manager).action_handle("Too early.")
        self.assertEqual(service.service_state, "assigned")
        self.assertEqual(new_service.service_state, "new")

    def test_s3_no_step_is_skipped_by_writing_the_stage(self):
        service = self._create_service()
        with self.assertRaises(UserError):
            service.with_user(self.sales_manager).write(
                {"stage_id": self.stage_handled.id}
            )
        service.with_user(self.sales_manager).action_assign(self.customer_manager.id)
        for stage in (self.stage_archived, self.stage_handled, self.stage_new):
            with self.assertRaises(UserError):
                service.with_user(self.customer_manager).write({"stage_id": stage.id})
        with self.assertRaises(UserError):
            service.with_user(self.customer_manager).write({"handling_note": "Sneaky."})
        self.assertEqual(service.stage_id, self.stage_assigned)

    # ------------------------------------------------------------------
    # S4: feedback
    # ------------------------------------------------------------------

    def test_s4_satisfied_feedback_archives(self):
        service = self._handled_service()
        with freeze_time("2025-03-05 10:00:00"):
            service.with_user(self.customer_manager).action_feedback(
                4, "The customer confirms the printer works."
            )
        self.assertEqual(service.stage_id, self.stage_archived)
        self.assertEqual(service.satisfaction, 4)
        self.assertEqual(
            service.feedback_result, "The customer confirms the printer works."
        )
        self.assertEqual(service.date_feedback, datetime(2025, 3, 5, 10, 0))
        self.assertTrue(service.closed)
        self.assertEqual(service.sent_back_count, 0)

    def test_s4_unsatisfied_feedback_sends_back(self):
        with freeze_time("2025-03-05 08:00:00"):
            service = self._handled_service(service_type=self.type_complaint)
        with freeze_time("2025-03-06 08:00:00"):
            service.with_user(self.sales_manager).action_feedback(
                2, "Still prints blank pages."
            )
        self.assertEqual(service.stage_id, self.stage_assigned)
        self.assertEqual(service.user_id, self.customer_manager)
        self.assertEqual(service.satisfaction, 2)
        self.assertEqual(service.sent_back_count, 1)
        self.assertEqual(service.date_sent_back, datetime(2025, 3, 6, 8, 0))
        # The handling time limit restarts from the return.
        self.assertEqual(service.deadline_handle, datetime(2025, 3, 7, 8, 0))
        note = service.message_ids.filtered(
            lambda m: "Still prints blank pages." in (m.body or "")
        )
        self.assertTrue(note, "The reason is logged in the chatter.")
        self.assertIn("2/5", note[0].body)
        self.assertIn(
            self.customer_manager,
            service.activity_ids.mapped("user_id"),
            "The assignee is asked to handle it again.",
        )
        # Handled again (which closes the request), then the customer is
        # satisfied.
        handle_again_type = self.env.ref(
            "crm_custom_service.mail_activity_type_service_handle_again"
        )
        handle_again = service.activity_ids.filtered(
            lambda a: a.activity_type_id == handle_again_type
        )
        self.assertEqual(handle_again.user_id, self.customer_manager)
        service.with_user(self.customer_manager).action_handle("Cleaned the drum.")
        self.assertFalse(handle_again.exists())
        service.with_user(self.customer_manager).action_feedback(3, "Works now.")
        self.assertEqual(service.service_state, "archived")
        self.assertEqual(service.satisfaction, 3)

    def test_s4_satisfaction_outside_1_to_5_is_refused(self):
        service = self._handled_service()
        for value in (0, 6, -1, 10, "6", "abc", "", None, False, True, 3.5, "3.0"):
            with self.subTest(satisfaction=value), self.assertRaises(ValidationError):
                service.with_user(self.customer_manager).action_feedback(
                    value, "Result."
                )
        with self.assertRaises(UserError):
            service.with_user(self.sales_manager).write({"satisfaction": 5})
        with self.assertRaises(ValidationError):
            service.with_user(self.customer_manager).action_feedback(4, "  ")
        self.assertEqual(service.service_state, "handled")
        self.assertFalse(service.satisfaction)
        # Form input is text.
        service.with_user(self.customer_manager).action_feedback("5", "Fine.")
        self.assertEqual(service.satisfaction, 5)

    def test_s4_feedback_by_the_right_people_at_the_right_step(self):
        # Assigned to the other customer manager, who may not rate himself.
        service = self._handled_service(assignee=self.customer_manager_2)
        with self.assertRaises(AccessError):
            service.with_user(self.customer_manager_2).action_feedback(5, "Perfect.")
        self.assertEqual(service.service_state, "handled")
        assigned = self._assigned_service()
        with self.assertRaises(UserError):
            assigned.with_user(self.customer_manager).action_feedback(5, "Too early.")
        self.assertEqual(assigned.service_state, "assigned")

    def test_s4_portal_customer_gives_feedback(self):
        service = self._handled_service()
        other_portal = self.env["res.users"].create(
            {
                "name": "Other Portal",
                "login": "test_service_other_portal",
                "groups_id": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        # The portal's controller checks the customer as the portal user,
        # then records the feedback in superuser mode (trusted).
        with self.assertRaises(AccessError):
            service.with_user(other_portal)._check_can_give_feedback()
        with self.assertRaises(AccessError):
            service.with_user(other_portal).action_feedback(5, "Not my service.")
        service.with_user(self.portal_user)._check_can_give_feedback()
        service.with_user(self.portal_user).sudo().action_feedback(4, "Thank you.")
        self.assertEqual(service.service_state, "archived")
        self.assertEqual(service.satisfaction, 4)

    # ------------------------------------------------------------------
    # S5: archived services are read only
    # ------------------------------------------------------------------

    def _archived_service(self):
        service = self._handled_service()
        service.with_user(self.customer_manager).action_feedback(5, "Very good.")
        return service

    def test_s5_archived_service_cannot_be_changed(self):
        service = self._archived_service()
        admin = self.env.ref("base.user_admin")
        for user in (self.customer_manager, self.sales_manager, admin):
            for vals in (
                {"name": "Changed"},
                {"description": "<p>Changed</p>"},
                {"priority": "3"},
                {"active": False},
                {"stage_id": self.stage_assigned.id},
            ):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRaises(UserError),
                ):
                    service.with_user(user).write(vals)
        with self.assertRaises(UserError):
            service.with_user(admin).unlink()
        with self.assertRaises(UserError):
            service.with_user(self.sales_manager).action_feedback(1, "Reopen it.")
        with self.assertRaises(UserError):
            service.with_user(self.sales_manager).action_assign(
                self.customer_manager.id
            )
        self.assertEqual(service.name, "Printer out of order")
        self.assertEqual(service.service_state, "archived")

    def test_s5_archived_services_are_searched_and_read(self):
        service = self._archived_service()
        other = self._create_service(name="Still open")
        for user in (self.customer_manager, self.sales_manager, self.executive):
            found = self.Ticket.with_user(user).search(
                [("service_state", "=", "archived"), ("name", "ilike", "printer")]
            )
            self.assertIn(service, found)
            self.assertNotIn(other, found)
            self.assertEqual(service.with_user(user).satisfaction, 5)
            self.assertEqual(service.with_user(user).feedback_result, "Very good.")
        # The chatter stays open: a note is no change of the service.
        service.with_user(self.customer_manager).message_post(
            body="Customer called to say thanks.", subtype_xmlid="mail.mt_note"
        )
        self.assertIn("called to say thanks", service.message_ids[0].body)

    def test_s5_only_new_services_are_deleted(self):
        admin = self.env.ref("base.user_admin")
        service = self._assigned_service()
        with self.assertRaises(UserError):
            service.with_user(admin).unlink()
        new_service = self._create_service()
        new_service.with_user(admin).unlink()
        self.assertFalse(new_service.exists())

    def test_s5_record_rules(self):
        mine = self._create_service(name="Mine")
        theirs = self._create_service(
            user=self.customer_manager_2, customer=self.customer_2, name="Theirs"
        )
        assigned_to_me = self._create_service(
            user=self.customer_manager_2, customer=self.customer_2, name="For me"
        )
        assigned_to_me.with_user(self.sales_manager).action_assign(
            self.customer_manager.id
        )
        visible = self.Ticket.with_user(self.customer_manager).search(
            [("service_type_id", "!=", False)]
        )
        self.assertIn(mine, visible)
        self.assertIn(assigned_to_me, visible)
        self.assertNotIn(theirs, visible)
        with self.assertRaises(AccessError):
            theirs.with_user(self.customer_manager).read(["name"])
        # Working in the same helpdesk team opens no other manager's service.
        team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Service Desk",
                "user_ids": [
                    (6, 0, (self.customer_manager | self.customer_manager_2).ids)
                ],
            }
        )
        # Record rules are cached per user: the new team must be seen.
        self.env.registry.clear_cache()
        in_team = self._create_service(
            user=self.customer_manager_2,
            customer=self.customer_2,
            name="Team service",
            team_id=team.id,
        )
        self.assertFalse(in_team.user_id)
        self.assertNotIn(
            in_team,
            self.Ticket.with_user(self.customer_manager).search(
                [("team_id", "=", team.id)]
            ),
        )
        # Ordinary unassigned tickets of the team stay visible (helpdesk_mgmt).
        ticket = self.Ticket.create(
            {"name": "Team ticket", "description": "Plain", "team_id": team.id}
        )
        ticket.user_id = False
        self.assertIn(
            ticket,
            self.Ticket.with_user(self.customer_manager).search(
                [("team_id", "=", team.id)]
            ),
        )
        everything = self.Ticket.with_user(self.sales_manager).search(
            [("service_type_id", "!=", False)]
        )
        self.assertTrue({mine, theirs, assigned_to_me} <= set(everything))
        # Executives read every service and change none.
        self.assertEqual(theirs.with_user(self.executive).name, "Theirs")
        with self.assertRaises(AccessError):
            theirs.with_user(self.executive).write({"name": "Changed"})

    def test_s5_customer_smart_button(self):
        self._create_service()
        self._create_service(customer=self.customer_contact)
        self._create_service(user=self.customer_manager_2, customer=self.customer_2)
        self.assertEqual(self.customer.service_count, 2)
        self.assertEqual(self.customer_contact.service_count, 2)
        action = self.customer.action_view_services()
        services = self.Ticket.search(action["domain"])
        self.assertEqual(len(services), 2)
        self.assertEqual(services.commercial_partner_id, self.customer)

    # ------------------------------------------------------------------
    # S6: field dispatch 派工
    # ------------------------------------------------------------------

    def test_s6_field_dispatch_flow(self):
        with freeze_time("2025-03-03 08:00:00"):
            service = self._assigned_service(service_type=self.type_onsite)
            office = service.with_user(self.customer_manager)
            # Not handled before the office reviewed the dispatch.
            with self.assertRaises(UserError):
                office.action_handle("Repaired.")
            office.action_dispatch(self.provider.id)
        self.assertEqual(service.dispatch_state, "dispatched")
        self.assertEqual(service.dispatch_partner_id, self.provider)
        self.assertEqual(service.date_dispatched, datetime(2025, 3, 3, 8, 0))
        with freeze_time("2025-03-03 09:00:00"):
            office.action_confirm_dispatch("Technician Liu", "139 1234 5678")
        self.assertEqual(service.dispatch_state, "confirmed")
        self.assertEqual(service.technician_name, "Technician Liu")
        self.assertEqual(service.technician_phone, "139 1234 5678")
        with freeze_time("2025-03-04 18:00:00"):
            office.action_record_service_times(
                "2025-03-04 10:00:00", "2025-03-04 15:30:00"
            )
        self.assertEqual(service.dispatch_state, "repaired")
        self.assertEqual(service.date_arrival, datetime(2025, 3, 4, 10, 0))
        self.assertEqual(service.date_repaired, datetime(2025, 3, 4, 15, 30))
        self.assertEqual(
            service.dispatch_feedback_deadline, datetime(2025, 3, 7, 15, 30)
        )
        feedback_type = self.env.ref(
            "crm_custom_service.mail_activity_type_dispatch_feedback"
        )
        reminder = service.activity_ids.filtered(
            lambda a: a.activity_type_id == feedback_type
        )
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, self.customer_manager)
        self.assertEqual(str(reminder.date_deadline), "2025-03-07")
        with freeze_time("2025-03-06 09:00:00"):
            office.action_dispatch_feedback("Spindle bearing replaced; runs quietly.")
        self.assertEqual(service.dispatch_state, "fed_back")
        self.assertFalse(reminder.exists(), "The reminder is done.")
        office.action_review_dispatch()
        self.assertEqual(service.dispatch_state, "reviewed")
        self.assertEqual(service.dispatch_reviewer_id, self.customer_manager)
        office.action_handle("Repaired on site by the provider.")
        service.with_user(self.customer_manager).action_feedback(5, "Machine runs.")
        self.assertEqual(service.service_state, "archived")

    def test_s6_dispatch_forbidden_paths(self):
        plain = self._assigned_service(service_type=self.type_complaint)
        with self.assertRaises(UserError):
            plain.with_user(self.customer_manager).action_dispatch(self.provider.id)
        service = self._assigned_service(
            service_type=self.type_onsite, assignee=self.customer_manager_2
        )
        # The creator is not the office following the service.
        with self.assertRaises(AccessError):
            service.with_user(self.customer_manager).action_dispatch(self.provider.id)
        office = service.with_user(self.customer_manager_2)
        with self.assertRaises(UserError):
            office.action_confirm_dispatch("Liu", "13912345678")
        with self.assertRaises(ValidationError):
            office.action_dispatch(False)
        with self.assertRaises(UserError):
            office.write({"dispatch_partner_id": self.provider.id})
        office.action_dispatch(self.provider.id)
        for name, phone in (("", "13912345678"), ("Liu", ""), ("Liu", "call me")):
            with self.assertRaises(ValidationError):
                office.action_confirm_dispatch(name, phone)
        office.action_confirm_dispatch("Liu", "13912345678")
        dispatched = service.date_dispatched
        for arrival, repaired in (
            (dispatched + timedelta(hours=3), dispatched + timedelta(hours=2)),
            (dispatched - timedelta(hours=1), dispatched + timedelta(hours=2)),
            (dispatched + timedelta(hours=1), dispatched + timedelta(days=400)),
            (False, dispatched),
        ):
            with self.assertRaises(ValidationError):
                office.action_record_service_times(arrival, repaired)
        self.assertEqual(service.dispatch_state, "confirmed")
        with self.assertRaises(UserError):
            office.action_review_dispatch()

    def test_s6_late_provider_feedback_is_escalated_once(self):
        with freeze_time("2025-03-03 08:00:00"):
            service = self._assigned_service(service_type=self.type_onsite)
            office = service.with_user(self.customer_manager)
            office.action_dispatch(self.provider.id)
            office.action_confirm_dispatch("Liu", "13912345678")
        with freeze_time("2025-03-04 09:30:00"):
            office.action_record_service_times(
                "2025-03-04 08:30:00", "2025-03-04 09:00:00"
            )
        overdue_type = self.env.ref(
            "crm_custom_service.mail_activity_type_service_overdue"
        )
        with freeze_time("2025-03-07 08:00:00"):
            self.Ticket._cron_service_time_limits()
        self.assertFalse(service.dispatch_feedback_escalated, "Not late yet.")
        with freeze_time("2025-03-07 10:00:00"):
            self.Ticket._cron_service_time_limits()
            escalations = service.activity_ids.filtered(
                lambda a: a.activity_type_id == overdue_type
                and a.summary == "Overdue provider feedback"
            )
            self.assertIn(self.sales_manager, escalations.user_id)
            self.assertTrue(service.dispatch_feedback_escalated)
            count = len(service.activity_ids)
            self.Ticket._cron_service_time_limits()
            self.assertEqual(len(service.activity_ids), count)

    # ------------------------------------------------------------------
    # S7: time limits
    # ------------------------------------------------------------------

    def test_s7_deadlines_follow_the_service_type(self):
        with freeze_time("2025-03-03 08:00:00"):
            complaint = self._create_service(service_type=self.type_complaint)
            consultation = self._create_service(service_type=self.type_consultation)
        self.assertEqual(complaint.deadline_assign, datetime(2025, 3, 3, 12, 0))
        self.assertEqual(consultation.deadline_assign, datetime(2025, 3, 3, 16, 0))
        self.type_complaint.with_user(self.sales_manager).service_assign_hours = 2
        self.assertEqual(complaint.deadline_assign, datetime(2025, 3, 3, 10, 0))
        self.type_complaint.with_user(self.sales_manager).service_assign_hours = 0
        self.assertFalse(complaint.deadline_assign, "0 hours: no limit.")
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
        ):
            self.type_complaint.service_handle_hours = -1
            self.type_complaint.flush_recordset()

    def test_s7_overdue_services_stand_out(self):
        with freeze_time("2025-03-03 08:00:00"):
            service = self._create_service(service_type=self.type_complaint)
        with freeze_time("2025-03-03 11:59:00"):
            self.assertFalse(service.service_overdue)
            self.assertNotIn(
                service, self.Ticket.search([("service_overdue", "=", True)])
            )
        with freeze_time("2025-03-03 12:01:00"):
            service.invalidate_recordset(["service_overdue"])
            self.assertTrue(service.service_overdue)
            self.assertIn(service, self.Ticket.search([("service_overdue", "=", True)]))
            self.assertNotIn(
                service, self.Ticket.search([("service_overdue", "=", False)])
            )
            service.with_user(self.sales_manager).action_assign(
                self.customer_manager.id
            )
            service.invalidate_recordset(["service_overdue"])
            self.assertFalse(service.service_overdue, "The handling clock starts now.")

    def test_s7_cron_reminds_and_escalates_once_per_step(self):
        overdue_type = self.env.ref(
            "crm_custom_service.mail_activity_type_service_overdue"
        )

        def overdue_activities(service):
            return service.activity_ids.filtered(
                lambda a: a.activity_type_id == overdue_type
            )

        with freeze_time("2025-03-03 08:00:00"):
            service = self._create_service(service_type=self.type_complaint)
            archived = self._handled_service(service_type=self.type_complaint)
            archived.with_user(self.customer_manager).action_feedback(4, "Fine.")
        with freeze_time("2025-03-03 13:00:00"):
            self.Ticket._cron_service_time_limits()
            escalated = overdue_activities(service)
            self.assertIn(self.sales_manager, escalated.user_id)
            self.assertNotIn(self.customer_manager, escalated.user_id)
            self.assertEqual(service.overdue_escalated_state, "new")
            self.assertTrue(
                service.message_ids.filtered(
                    lambda m: "should have been assigned" in (m.body or "")
                )
            )
            # Rerun: nobody is reminded twice.
            self.Ticket._cron_service_time_limits()
            self.assertEqual(overdue_activities(service), escalated)
            self.assertFalse(overdue_activities(archived))
            service.with_user(self.sales_manager).action_assign(
                self.customer_manager.id
            )
            self.assertFalse(escalated.exists(), "Assigned: the escalation is done.")
        with freeze_time("2025-03-04 14:00:00"):
            self.Ticket._cron_service_time_limits()
            handle_activities = overdue_activities(service) - escalated
            self.assertIn(self.customer_manager, handle_activities.user_id, "Reminder.")
            self.assertIn(self.sales_manager, handle_activities.user_id, "Escalation.")
            self.Ticket._cron_service_time_limits()
            self.assertEqual(overdue_activities(service) - escalated, handle_activities)
            service.with_user(self.customer_manager).action_handle(
                "Called the customer."
            )
            service.with_user(self.customer_manager).action_feedback(
                1, "Nothing changed."
            )
        # Sent back: a new handling limit, escalated again once exceeded.
        self.assertEqual(service.deadline_handle, datetime(2025, 3, 5, 14, 0))
        earlier = escalated | handle_activities
        with freeze_time("2025-03-05 13:00:00"):
            self.Ticket._cron_service_time_limits()
            self.assertFalse(overdue_activities(service) - earlier)
        with freeze_time("2025-03-05 15:00:00"):
            self.Ticket._cron_service_time_limits()
            self.assertIn(
                self.customer_manager, (overdue_activities(service) - earlier).user_id
            )
